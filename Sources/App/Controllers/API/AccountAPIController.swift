import HeadshotCore
import SiteRoutes
import Vapor

/// JSON twins of the account page.
struct AccountAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let me = routes.grouped(User.guardMiddleware())
        me.get(APIURL.me(nil), use: show)
        me.patch(APIURL.me(nil), use: updateProfile)
        me.get(APIURL.accountActivity, use: activity)
        me.post(APIURL.me(.password), use: changePassword)
        me.get(APIURL.me(.tokens), use: tokens)
        me.post(APIURL.me(.tokens), use: createToken)
        me.delete(APIURL.me(.token(.key)), use: revokeToken)
        me.get(APIURL.me(.sessions), use: sessions)
        me.delete(APIURL.me(.session(.key)), use: revokeSession)
        me.post(APIURL.me(.emailVerification), use: resendVerification)
    }

    /// `?page=N` (50 entries a page, newest first).
    @Sendable func activity(req: Request) async throws -> ActivityPageDTO {
        let page = try req.queryInteger("page", in: ActivityLog.pages) ?? 1
        return ActivityPageDTO(try await ActivityLog(db: req.db).page(for: try req.requireUser().requireID(), page: page))
    }

    @Sendable func show(req: Request) async throws -> UserDTO {
        try UserDTO(try req.requireUser())
    }

    /// Name and job title (`{"name": …, "job_title": …}`; a field left out is unchanged, "" clears it).
    @Sendable func updateProfile(req: Request) async throws -> UserDTO {
        let user = try req.requireUser()
        try await AccountSettings(req, services: services).updateProfile(of: user, try req.content.decode(ProfileRequest.self))
        return try UserDTO(user)
    }

    /// Revokes every browser session and API login, and the personal tokens unless `keep_tokens` is true.
    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(ChangePasswordRequest.self)
        try await Accounts(req, services: services).changePassword(of: try req.requireUser(), current: body.currentPassword, new: body.newPassword,
                                                                   keepPersonalTokens: body.keepTokens ?? false)
        return .noContent
    }

    @Sendable func tokens(req: Request) async throws -> [APITokenDTO] {
        try await AccountSettings(req, services: services).tokens(of: try req.requireUser())
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let created = try await AccountSettings(req, services: services).createToken(
            for: try req.requireUser(), try req.content.decode(CreateTokenRequest.self),
            authenticatedBy: req.currentToken == nil && req.currentSession != nil ? .session : .token)
        return try await created.encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        try await AccountSettings(req, services: services).revokeToken(req.parameters.get("tokenID", as: UUID.self), of: try req.requireUser())
        return .noContent
    }

    @Sendable func sessions(req: Request) async throws -> [SessionDTO] {
        try await AccountSettings(req, services: services).sessions(of: try req.requireUser(), current: req.currentSession?.id)
    }

    @Sendable func revokeSession(req: Request) async throws -> HTTPStatus {
        try await AccountSettings(req, services: services).revokeSession(req.parameters.get("sessionID", as: UUID.self), of: try req.requireUser())
        return .noContent
    }

    @Sendable func resendVerification(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        try await Accounts(req, services: services).resendVerification(to: user)
        return .accepted
    }
}
