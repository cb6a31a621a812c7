import FluentKit
import Foundation

/// Token and session management shared by the account page and the API.
package struct AccountSettings {
    package let db: any Database
    package let clock: any WallClock
    /// Who acts, for the audit trail.
    package let actor: AuditActor

    package init(db: any Database, clock: any WallClock, actor: AuditActor) {
        self.db = db
        self.clock = clock
        self.actor = actor
    }

    /// Sets the name and job title shown on previews (audited, without the values).
    package func updateProfile(of user: User, _ request: ProfileRequest) async throws {
        try Profile.apply(request, to: user)
        try await db.transaction { tx in
            try await user.save(on: tx)
            try await Audit.record("user.profile_changed", subjectType: "user", subjectID: user.id, by: actor, at: clock.now(), on: tx)
        }
    }

    /// Every token that acts as the user and still works, whatever its kind: personal tokens, API
    /// log-ins and the team tokens they made as a manager.
    package func liveTokens(of user: User) async throws -> [APIToken] {
        let now = clock.now()
        return try await APIToken.query(on: db).filter(\.$user.$id == user.requireID())
            .filter(\.$revokedAt == nil).sort(\.$createdAt, .descending).all()
            .filter { $0.expiresAt.map { now < $0 } ?? true }
    }

    /// The user's live sessions, the most recently seen first.
    package func liveSessions(of user: User) async throws -> [UserSession] {
        let now = clock.now()
        return try await UserSession.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
            .filter { Sessions.isUsable($0, at: now) }
    }

    /// How the person asking proved who they are: only a signed-in browser may create tokens, so a
    /// leaked token cannot mint itself successors.
    package enum Authentication { case session, token }

    package func issueToken(for user: User, _ request: CreateTokenRequest, authenticatedBy authentication: Authentication) async throws -> (token: APIToken, plaintext: String) {
        guard authentication == .session else {
            throw Failure(.forbidden, "API tokens can only be created from a signed-in browser (the Account page), not with another token.", code: "session_required")
        }
        let (name, days) = try request.validated()
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(TimeInterval(days) * 86_400)
        let (token, plaintext) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: name, expiresAt: expiresAt,
                                                           at: now, on: db)
        try await Audit.record("api_token.created", subjectType: "api_token", subjectID: token.id, by: actor, at: now, on: db)
        return (token, plaintext)
    }

    /// Another user's token id answers 404, exactly like an unknown one.
    package func revokeToken(_ id: UUID?, of user: User) async throws {
        guard let id, let token = try await APIToken.query(on: db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Failure.notFound("There is no such token.") }
        let now = clock.now()
        token.revokedAt = now
        try await token.save(on: db)
        try await Audit.record("api_token.revoked", subjectType: "api_token", subjectID: id, by: actor, at: now, on: db)
    }

    package func revokeSession(_ id: UUID?, of user: User) async throws {
        guard let id, let session = try await UserSession.query(on: db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Failure.notFound("There is no such session.") }
        let now = clock.now()
        session.revokedAt = now
        try await session.save(on: db)
        try await Audit.record("session.revoked", subjectType: "session", subjectID: id, by: actor, at: now, on: db)
    }
}
