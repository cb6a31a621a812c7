import HeadshotCore
import SiteRoutes
import Vapor

struct AccountPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.account(nil), use: show)
        routes.get(SiteURL.account(.activity), use: activity)
        routes.post(SiteURL.account(.profile), use: updateProfile)
        routes.post(SiteURL.account(.password), use: changePassword)
        routes.post(SiteURL.account(.verification), use: resendVerification)
        routes.post(SiteURL.account(.tokens), use: createToken)
        routes.post(SiteURL.account(.revokeToken(.key)), use: revokeToken)
        routes.post(SiteURL.account(.revokeSession(.key)), use: revokeSession)
        routes.post(SiteURL.account(.dataExport), use: requestDataExport)
    }

    /// "Download my data": prepared in the background; the link comes by email and shows here.
    @Sendable func requestDataExport(req: Request) async throws -> Response {
        _ = try await DataExports(db: req.db, services: services, actor: req.actor).request(for: try req.requireUser())
        return req.redirect(to: SiteURL.account(nil).path(["notice": "export-requested"]), redirectType: .normal)
    }

    private func model(_ req: Request, _ user: User) async throws -> AccountPage.Model {
        AccountPage.Model(user: user, tokens: try await AccountSettings(req, services: services).tokens(of: user),
                          sessions: try await AccountSettings(req, services: services).sessions(of: user, current: req.currentSession?.id),
                          deletions: try await Deletions(db: req.db, services: services, actor: req.actor).list(for: try user.requireID()),
                          exports: try await exportRows(req, user))
    }

    private func exportRows(_ req: Request, _ user: User) async throws -> [AccountPage.ExportRow] {
        let exports = DataExports(db: req.db, services: services, actor: req.actor)
        return try await exports.list(for: try user.requireID()).map { AccountPage.ExportRow(export: $0, link: try exports.link(for: $0)) }
    }

    @Sendable func activity(req: Request) async throws -> Response {
        let page = try await ActivityLog(db: req.db).page(for: try req.requireUser().requireID(), page: req.query[Int.self, at: "page"] ?? 1)
        return ActivityPage.render(req.viewer, page: page)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        var model = try await model(req, user)
        model.notice = switch req.query[String.self, at: "notice"] {
        case "profile-saved": "Your name and job title were saved."
        case "password-changed": "Your password was changed and your other devices were signed out."
        case "verification-sent": "We've sent a new confirmation link."
        case "token-revoked": "The token was revoked."
        case "session-revoked": "That device was signed out."
        case "export-requested": "We're preparing a copy of your data. We'll email you a download link when it is ready (usually within minutes)."
        default: nil
        }
        return AccountPage.render(req.viewer, model)
    }

    @Sendable func updateProfile(req: Request) async throws -> Response {
        let user = try req.requireUser()
        do {
            try await AccountSettings(req, services: services).updateProfile(of: user, try req.content.decode(ProfileRequest.self))
        } catch AccountError.invalidInput(let errors) {
            var model = try await model(req, user)
            model.profileErrors = errors
            return AccountPage.render(req.viewer, model, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.account(nil).path(["notice": "profile-saved"]), redirectType: .normal)
    }

    /// Every session of the user is revoked, then this browser gets a fresh one so the person stays in.
    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ChangePasswordRequest.self)
        do {
            try await Accounts(req, services: services).changePassword(of: user, current: form.currentPassword, new: form.newPassword,
                                                                       keepPersonalTokens: form.keepTokens ?? false)
        } catch let error as AccountError {
            var model = try await model(req, user)
            switch error {
            case .invalidInput(let fields): model.passwordErrors = fields
            default: model.passwordErrors = ["current_password": error.reason]
            }
            return AccountPage.render(req.viewer, model, status: AppErrorMiddleware.status(for: error.kind))
        }
        req.currentSession = nil
        let response = req.redirect(to: SiteURL.account(nil).path(["notice": "password-changed"]), redirectType: .normal)
        try await SessionManager(services: services).start(for: user, on: req, response: response)
        return response
    }

    @Sendable func resendVerification(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await Accounts(req, services: services).resendVerification(to: user)
        return req.redirect(to: SiteURL.account(nil).path(["notice": "verification-sent"]), redirectType: .normal)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CreateTokenRequest.self)
        var model: AccountPage.Model
        do {
            let created = try await AccountSettings(req, services: services).createToken(for: user, form, authenticatedBy: .session)
            model = try await self.model(req, user)
            model.newToken = created.token
            return AccountPage.render(req.viewer, model, status: .created)
        } catch let error as AccountError {
            model = try await self.model(req, user)
            model.tokenError = error.reason
            return AccountPage.render(req.viewer, model, status: AppErrorMiddleware.status(for: error.kind))
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        try await AccountSettings(req, services: services).revokeToken(req.parameters.get("tokenID", as: UUID.self), of: try req.requireUser())
        return req.redirect(to: SiteURL.account(nil).path(["notice": "token-revoked"]), redirectType: .normal)
    }

    @Sendable func revokeSession(req: Request) async throws -> Response {
        try await AccountSettings(req, services: services).revokeSession(req.parameters.get("sessionID", as: UUID.self), of: try req.requireUser())
        return req.redirect(to: SiteURL.account(nil).path(["notice": "session-revoked"]), redirectType: .normal)
    }
}
