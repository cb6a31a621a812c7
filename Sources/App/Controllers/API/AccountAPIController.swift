import Vapor

/// JSON twins of the account page.
struct AccountAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let me = routes.grouped(User.guardMiddleware()).grouped("me")
        me.get(use: show)
        me.post("password", use: changePassword)
        me.get("tokens", use: tokens)
        me.post("tokens", use: createToken)
        me.delete("tokens", ":tokenID", use: revokeToken)
        me.get("sessions", use: sessions)
        me.delete("sessions", ":sessionID", use: revokeSession)
        me.post("email-verification", use: resendVerification)
    }

    @Sendable func show(req: Request) async throws -> UserDTO {
        try UserDTO(try req.requireUser())
    }

    /// Revokes every browser session and API login; a personal token used for the call stays valid.
    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(ChangePasswordRequest.self)
        try await Accounts(req).changePassword(of: try req.requireUser(), current: body.currentPassword, new: body.newPassword)
        return .noContent
    }

    @Sendable func tokens(req: Request) async throws -> [APITokenDTO] {
        try await AccountSettings.tokens(of: try req.requireUser(), on: req)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let created = try await AccountSettings.createToken(for: try req.requireUser(), try req.content.decode(CreateTokenRequest.self), on: req)
        return try await created.encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        try await AccountSettings.revokeToken(req.parameters.get("tokenID", as: UUID.self), of: try req.requireUser(), on: req)
        return .noContent
    }

    @Sendable func sessions(req: Request) async throws -> [SessionDTO] {
        try await AccountSettings.sessions(of: try req.requireUser(), on: req)
    }

    @Sendable func revokeSession(req: Request) async throws -> HTTPStatus {
        try await AccountSettings.revokeSession(req.parameters.get("sessionID", as: UUID.self), of: try req.requireUser(), on: req)
        return .noContent
    }

    @Sendable func resendVerification(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        if !user.isVerified { try await Accounts(req).sendVerification(to: user) }
        return .accepted
    }
}
