import Vapor

struct AccountPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("account")
        account.get(use: show)
        account.post("password", use: changePassword)
        account.post("verification", use: resendVerification)
        account.post("tokens", use: createToken)
        account.post("tokens", ":tokenID", "revoke", use: revokeToken)
        account.post("sessions", ":sessionID", "revoke", use: revokeSession)
    }

    private func model(_ req: Request, _ user: User) async throws -> AccountPage.Model {
        AccountPage.Model(user: user, tokens: try await AccountSettings.tokens(of: user, on: req),
                          sessions: try await AccountSettings.sessions(of: user, on: req))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        var model = try await model(req, user)
        model.notice = switch req.query[String.self, at: "notice"] {
        case "password-changed": "Your password was changed and your other devices were signed out."
        case "verification-sent": "We've sent a new confirmation link."
        case "token-revoked": "The token was revoked."
        case "session-revoked": "That device was signed out."
        default: nil
        }
        return AccountPage.render(req, model)
    }

    /// Every session of the user is revoked, then this browser gets a fresh one so the person stays in.
    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ChangePasswordRequest.self)
        do {
            try await Accounts(req).changePassword(of: user, current: form.currentPassword, new: form.newPassword)
        } catch let error as AccountError {
            var model = try await model(req, user)
            switch error {
            case .invalidInput(let fields): model.passwordErrors = fields
            default: model.passwordErrors = ["current_password": error.reason]
            }
            return AccountPage.render(req, model, status: error.status)
        }
        req.currentSession = nil
        let response = req.redirect(to: "/account?notice=password-changed", redirectType: .normal)
        try await SessionManager.start(for: user, on: req, response: response)
        return response
    }

    @Sendable func resendVerification(req: Request) async throws -> Response {
        let user = try req.requireUser()
        if !user.isVerified { try await Accounts(req).sendVerification(to: user) }
        return req.redirect(to: "/account?notice=verification-sent", redirectType: .normal)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CreateTokenRequest.self)
        var model: AccountPage.Model
        do {
            let created = try await AccountSettings.createToken(for: user, form, on: req)
            model = try await self.model(req, user)
            model.newToken = created.token
            return AccountPage.render(req, model, status: .created)
        } catch let error as AccountError {
            model = try await self.model(req, user)
            model.tokenError = error.reason
            return AccountPage.render(req, model, status: error.status)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        try await AccountSettings.revokeToken(req.parameters.get("tokenID", as: UUID.self), of: try req.requireUser(), on: req)
        return req.redirect(to: "/account?notice=token-revoked", redirectType: .normal)
    }

    @Sendable func revokeSession(req: Request) async throws -> Response {
        try await AccountSettings.revokeSession(req.parameters.get("sessionID", as: UUID.self), of: try req.requireUser(), on: req)
        return req.redirect(to: "/account?notice=session-revoked", redirectType: .normal)
    }
}
