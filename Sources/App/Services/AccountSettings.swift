import Fluent
import Foundation

/// Token and session management shared by the account page and the API.
struct AccountSettings {
    let db: any Database
    let clock: any WallClock
    /// Who acts, for the audit trail.
    let actor: AuditActor

    /// Sets the name and job title shown on previews (audited, without the values).
    func updateProfile(of user: User, _ request: ProfileRequest) async throws {
        try Profile.apply(request, to: user)
        try await db.transaction { tx in
            try await user.save(on: tx)
            try await Audit.record("user.profile_changed", subjectType: "user", subjectID: user.id, by: actor, at: clock.now(), on: tx)
        }
    }

    /// Every token that acts as the user and still works, whatever its kind: personal tokens, API
    /// log-ins and the team tokens they made as a manager.
    func tokens(of user: User) async throws -> [APITokenDTO] {
        let now = clock.now()
        return try await APIToken.query(on: db).filter(\.$user.$id == user.requireID())
            .filter(\.$revokedAt == nil).sort(\.$createdAt, .descending).all()
            .filter { $0.expiresAt.map { now < $0 } ?? true }
            .map(APITokenDTO.init)
    }

    /// The user's live sessions; `current` marks the one asking.
    func sessions(of user: User, current: UUID?) async throws -> [SessionDTO] {
        let now = clock.now()
        return try await UserSession.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
            .filter { SessionManager.isUsable($0, at: now) }
            .map { try SessionDTO($0, current: $0.id == current) }
    }

    /// How the person asking proved who they are: only a signed-in browser may create tokens, so a
    /// leaked token cannot mint itself successors.
    enum Authentication { case session, token }

    func createToken(for user: User, _ request: CreateTokenRequest, authenticatedBy authentication: Authentication) async throws -> CreatedTokenDTO {
        guard authentication == .session else {
            throw Failure(.forbidden, "API tokens can only be created from a signed-in browser (the Account page), not with another token.", code: "session_required")
        }
        let (name, days) = try request.validated()
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(TimeInterval(days) * 86_400)
        let (token, plaintext) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: name, expiresAt: expiresAt,
                                                           at: now, on: db)
        try await Audit.record("api_token.created", subjectType: "api_token", subjectID: token.id, by: actor, at: now, on: db)
        return CreatedTokenDTO(token: plaintext, details: try APITokenDTO(token))
    }

    /// Another user's token id answers 404, exactly like an unknown one.
    func revokeToken(_ id: UUID?, of user: User) async throws {
        guard let id, let token = try await APIToken.query(on: db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Failure.notFound("There is no such token.") }
        let now = clock.now()
        token.revokedAt = now
        try await token.save(on: db)
        try await Audit.record("api_token.revoked", subjectType: "api_token", subjectID: id, by: actor, at: now, on: db)
    }

    func revokeSession(_ id: UUID?, of user: User) async throws {
        guard let id, let session = try await UserSession.query(on: db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Failure.notFound("There is no such session.") }
        let now = clock.now()
        session.revokedAt = now
        try await session.save(on: db)
        try await Audit.record("session.revoked", subjectType: "session", subjectID: id, by: actor, at: now, on: db)
    }
}
