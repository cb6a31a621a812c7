import FluentKit
import Foundation

/// Slows down password guessing: after 10 failures for one account or 50 from one address within
/// 15 minutes, further tries are refused until the oldest failure leaves the window.
/// Counts live in the database so every web process of a deployment shares them.
///
/// A try is reserved (written as a failure) before its password is checked, and counted after: of any
/// number of guesses sent at once, at most the limit get as far as bcrypt, because each one counts
/// every reservation committed before it.
package struct LoginThrottle: Sendable {
    package static let window: TimeInterval = 15 * 60
    package static let perAccount = 10
    package static let perAddress = 50

    package let db: any Database

    /// Reserves one try, or throws `AccountError.throttled` (taking the reservation back) when the
    /// account or the address has used up its tries.
    package func reserve(email: String, ip: String, at now: Date) async throws -> LoginAttempt {
        let attempt = LoginAttempt(email: email, ip: ip, succeeded: false, at: now)
        try await attempt.create(on: db)
        let id = try attempt.requireID()
        let since = now.addingTimeInterval(-Self.window)
        let byAccount = try await failures(since: since).filter(\.$email == email).filter(\.$id != id).count()
        let byAddress = try await failures(since: since).filter(\.$ip == ip).filter(\.$id != id).count()
        guard byAccount >= Self.perAccount || byAddress >= Self.perAddress else { return attempt }
        try await attempt.delete(on: db)
        throw AccountError.throttled(retryAfter: try await retryAfter(email: email, ip: ip, at: now) ?? 1)
    }

    /// Settles a reserved try: a failure stays counted; a correct password clears the account's failures
    /// (the address's stay).
    package func settle(_ attempt: LoginAttempt, succeeded: Bool) async throws {
        guard succeeded else { return }
        try await LoginAttempt.query(on: db).filter(\.$email == attempt.email).filter(\.$succeeded == false).delete()
        try await LoginAttempt(email: attempt.email, ip: attempt.ip, succeeded: true, at: attempt.createdAt).create(on: db)
    }

    /// Seconds to wait before the next try, or nil when a try is allowed now.
    package func retryAfter(email: String, ip: String, at now: Date) async throws -> Int? {
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

    /// Records a finished try directly (tests and tools; log-in reserves and settles instead).
    package func record(email: String, ip: String, succeeded: Bool, at now: Date) async throws {
        try await LoginAttempt(email: email, ip: ip, succeeded: succeeded, at: now).create(on: db)
    }

    /// Deletes attempts older than the window (run by the scheduler).
    package func prune(before now: Date) async throws {
        try await LoginAttempt.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-Self.window)).delete()
    }

    private func failures(since: Date) -> QueryBuilder<LoginAttempt> {
        LoginAttempt.query(on: db).filter(\.$succeeded == false).filter(\.$createdAt >= since)
    }
}
