import Fluent
import Foundation

/// Slows down password guessing: after 10 failures for one account or 50 from one address within
/// 15 minutes, further tries are refused until the oldest failure leaves the window.
/// Counts live in the database so every web process of a deployment shares them.
public struct LoginThrottle: Sendable {
    public static let window: TimeInterval = 15 * 60
    public static let perAccount = 10
    public static let perAddress = 50

    let db: any Database

    /// Seconds to wait before the next try, or nil when a try is allowed now.
    public func retryAfter(email: String, ip: String, at now: Date) async throws -> Int? {
        let since = now.addingTimeInterval(-Self.window)
        let byAccount = try await failures(since: since).filter(\.$email == email).sort(\.$createdAt, .descending)
            .limit(Self.perAccount).all()
        let byAddress = try await failures(since: since).filter(\.$ip == ip).sort(\.$createdAt, .descending)
            .limit(Self.perAddress).all()
        var waits: [TimeInterval] = []
        // The oldest of the last N failures must age out before a try is allowed again.
        if byAccount.count >= Self.perAccount, let oldest = byAccount.last { waits.append(oldest.createdAt.timeIntervalSince(since)) }
        if byAddress.count >= Self.perAddress, let oldest = byAddress.last { waits.append(oldest.createdAt.timeIntervalSince(since)) }
        guard let wait = waits.max() else { return nil }
        return max(1, Int(wait.rounded(.up)))
    }

    public func record(email: String, ip: String, succeeded: Bool, at now: Date) async throws {
        if succeeded {
            // A correct password clears the account's failures; the address's stay.
            try await LoginAttempt.query(on: db).filter(\.$email == email).filter(\.$succeeded == false).delete()
        }
        try await LoginAttempt(email: email, ip: ip, succeeded: succeeded, at: now).create(on: db)
    }

    /// Deletes attempts older than the window (run by the scheduler).
    public func prune(before now: Date) async throws {
        try await LoginAttempt.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-Self.window)).delete()
    }

    private func failures(since: Date) -> QueryBuilder<LoginAttempt> {
        LoginAttempt.query(on: db).filter(\.$succeeded == false).filter(\.$createdAt >= since)
    }
}
