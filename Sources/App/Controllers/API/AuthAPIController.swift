import HeadshotCore
import SiteRoutes
import Vapor

/// JSON twins of sign-up, log-in, log-out, email confirmation and password reset.
struct AuthAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.post(APIURL.users, use: signUp)
        routes.post(APIURL.authToken, use: logIn)
        routes.post(APIURL.authEmailVerification, use: verifyEmail)
        routes.post(APIURL.passwordResetRequests, use: requestReset)
        routes.post(APIURL.passwordResets, use: reset)
        routes.grouped(User.guardMiddleware()).delete(APIURL.authToken, use: logOut)
    }

    /// 202 whether or not the address already had an account.
    @Sendable func signUp(req: Request) async throws -> Response {
        let body = try req.content.decode(SignUpRequest.self)
        try await Accounts(req, services: services).signUp(email: body.email, password: body.password, name: body.name)
        return try await MessageDTO(message: "Check your email: we've sent a link to finish signing up.").encodeResponse(status: .accepted, for: req)
    }

    /// Exchanges email and password for a bearer token valid 30 days (an API session).
    @Sendable func logIn(req: Request) async throws -> Response {
        let body = try req.content.decode(LogInRequest.self)
        let user = try await Accounts(req, services: services).logIn(email: body.email, password: body.password)
        let expiresAt = services.clock.now().addingTimeInterval(APITokens.loginLifetime)
        let (_, plaintext) = try await APITokens.issue(for: try user.requireID(), kind: .login, name: "API login", expiresAt: expiresAt,
                                                        at: services.clock.now(), on: req.db)
        return try await LoginTokenDTO(token: plaintext, expiresAt: expiresAt, user: UserDTO(user)).encodeResponse(status: .created, for: req)
    }

    /// Revokes the token (or session) the request was made with.
    @Sendable func logOut(req: Request) async throws -> HTTPStatus {
        if let token = req.currentToken {
            token.revokedAt = services.clock.now()
            try await token.save(on: req.db)
        } else if let session = req.currentSession {
            session.revokedAt = services.clock.now()
            try await session.save(on: req.db)
        }
        return .noContent
    }

    @Sendable func verifyEmail(req: Request) async throws -> UserDTO {
        try UserDTO(try await Accounts(req, services: services).verifyEmail(token: try req.content.decode(TokenRequest.self).token))
    }

    @Sendable func requestReset(req: Request) async throws -> Response {
        try await Accounts(req, services: services).requestReset(email: try req.content.decode(EmailRequest.self).email)
        return try await MessageDTO(message: "If an account exists for that address, we've sent a link to reset the password.")
            .encodeResponse(status: .accepted, for: req)
    }

    @Sendable func reset(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(ResetPasswordRequest.self)
        _ = try await Accounts(req, services: services).resetPassword(token: body.token, to: body.password)
        return .noContent
    }
}
