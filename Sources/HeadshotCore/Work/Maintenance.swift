import FluentKit
import Foundation

/// Housekeeping that keeps the tables small: expired throttle records, dead sessions and spent links.
package enum Maintenance {
    /// Dead sessions stay a while so the account page and audit can still explain a recent sign-out.
    package static let keepDeadSessions: TimeInterval = 30 * 24 * 3600

    package static func run(on db: any Database, at now: Date) async throws {
        try await LoginThrottle(db: db).prune(before: now)
        try await RateLimiter(db: db).prune(before: now)
        try await UserSession.query(on: db)
            .group(.or) { group in
                group.filter(\.$lastSeenAt < now.addingTimeInterval(-Sessions.idleTimeout - keepDeadSessions))
                group.filter(\.$createdAt < now.addingTimeInterval(-Sessions.absoluteTimeout - keepDeadSessions))
            }
            .delete()
        try await OneTimeToken.query(on: db).filter(\.$expiresAt < now.addingTimeInterval(-keepDeadSessions)).delete()
        try await MailQueue.prune(before: now.addingTimeInterval(-keepDeadSessions), on: db)
    }
}
