import FluentKit
import Foundation

/// When a browser session may be used, and revoking them: the rules the web edge's cookies and the
/// account services (password change and reset) share.
package enum Sessions {
    package static let idleTimeout: TimeInterval = 2 * 3600
    package static let absoluteTimeout: TimeInterval = 7 * 24 * 3600

    /// Revokes every browser session and API login of a user (password change, reset), except `keeping`.
    package static func revokeAll(userID: UUID, keeping: UUID? = nil, at now: Date, on db: any Database) async throws {
        var sessions = UserSession.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if let keeping { sessions = sessions.filter(\.$id != keeping) }
        try await sessions.set(\.$revokedAt, to: now).update()
        try await APIToken.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == .login)
            .filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }

    /// Whether a stored session may still be used at `now`.
    package static func isUsable(_ session: UserSession, at now: Date) -> Bool {
        session.revokedAt == nil
            && now < session.lastSeenAt.addingTimeInterval(idleTimeout)
            && now < session.createdAt.addingTimeInterval(absoluteTimeout)
    }
}
