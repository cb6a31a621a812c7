import Fluent
import Vapor

/// Token and session management shared by the account page and the API.
enum AccountSettings {
    static func tokens(of user: User, on req: Request) async throws -> [APITokenDTO] {
        try await APIToken.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$kind == .personal)
            .filter(\.$revokedAt == nil).sort(\.$createdAt, .descending).all()
            .filter { $0.expiresAt.map { req.now < $0 } ?? true }
            .map(APITokenDTO.init)
    }

    static func sessions(of user: User, on req: Request) async throws -> [SessionDTO] {
        let now = req.now
        return try await UserSession.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
            .filter { SessionManager.isUsable($0, at: now) }
            .map { try SessionDTO($0, current: $0.id == req.currentSession?.id) }
    }

    static func createToken(for user: User, _ request: CreateTokenRequest, on req: Request) async throws -> CreatedTokenDTO {
        let (name, days) = try request.validated()
        let expiresAt = days.map { req.now.addingTimeInterval(TimeInterval($0) * 86_400) }
        let (token, plaintext) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: name, expiresAt: expiresAt, on: req)
        try await Audit.record("api_token.created", subjectType: "api_token", subjectID: token.id, by: req.actor, at: req.now, on: req.db)
        return CreatedTokenDTO(token: plaintext, details: try APITokenDTO(token))
    }

    /// Another user's token id answers 404, exactly like an unknown one.
    static func revokeToken(_ id: UUID?, of user: User, on req: Request) async throws {
        guard let id, let token = try await APIToken.query(on: req.db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Abort(.notFound, reason: "There is no such token.") }
        token.revokedAt = req.now
        try await token.save(on: req.db)
        try await Audit.record("api_token.revoked", subjectType: "api_token", subjectID: id, by: req.actor, at: req.now, on: req.db)
    }

    static func revokeSession(_ id: UUID?, of user: User, on req: Request) async throws {
        guard let id, let session = try await UserSession.query(on: req.db).filter(\.$id == id)
            .filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).first()
        else { throw Abort(.notFound, reason: "There is no such session.") }
        session.revokedAt = req.now
        try await session.save(on: req.db)
        try await Audit.record("session.revoked", subjectType: "session", subjectID: id, by: req.actor, at: req.now, on: req.db)
    }
}
