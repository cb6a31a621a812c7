import HeadshotCore
import SiteRoutes
import Vapor

/// Sign-up, log-in, log-out, email confirmation and password reset pages.
struct AuthPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.signUp, use: signUpForm)
        routes.post(SiteURL.signUp, use: signUp)
        routes.get(SiteURL.logIn, use: logInForm)
        routes.post(SiteURL.logIn, use: logIn)
        routes.post(SiteURL.logOut, use: logOut)
        routes.get(SiteURL.verifyEmail, use: confirmEmailForm)
        routes.post(SiteURL.verifyEmail, use: confirmEmail)
        routes.get(SiteURL.forgotPassword, use: forgotForm)
        routes.post(SiteURL.forgotPassword, use: forgot)
        routes.get(SiteURL.resetPassword, use: resetForm)
        routes.post(SiteURL.resetPassword, use: reset)
    }

    @Sendable func signUpForm(req: Request) async throws -> Response {
        req.currentUser != nil ? req.redirect(to: SiteURL.dashboard.path) : AuthPages.signUp(req.viewer)
    }

    @Sendable func signUp(req: Request) async throws -> Response {
        let form = try req.content.decode(SignUpRequest.self)
        do {
            try await Accounts(req, services: services).signUp(email: form.email, password: form.password, name: form.name)
        } catch AccountError.invalidInput(let errors) {
            return AuthPages.signUp(req.viewer, email: form.email, name: form.name ?? "", errors: errors, status: .unprocessableEntity)
        }
        return AuthPages.checkEmail(req.viewer, email: Accounts.normalise(email: form.email))
    }

    @Sendable func logInForm(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.dashboard.path) }
        let notice: String? = switch req.query[String.self, at: "notice"] {
        case "password-reset": "Your password was changed. Log in with the new one."
        case "signed-out": "You've been signed out."
        default: nil
        }
        return AuthPages.logIn(req.viewer, next: Self.safeNext(req.query[String.self, at: "next"]), notice: notice)
    }

    @Sendable func logIn(req: Request) async throws -> Response {
        let form = try req.content.decode(LogInRequest.self)
        let next = Self.safeNext(form.next)
        do {
            let user = try await Accounts(req, services: services).logIn(email: form.email, password: form.password)
            let response = req.redirect(to: next ?? SiteURL.dashboard.path, redirectType: .normal)
            try await SessionManager(services: services).start(for: user, on: req, response: response)
            return response
        } catch let error as AccountError {
            let response = AuthPages.logIn(req.viewer, email: form.email, next: next, error: error.reason, status: AppErrorMiddleware.status(for: error.kind))
            for (name, value) in AppErrorMiddleware.headers(for: error.kind) { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    @Sendable func logOut(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.logIn.path(["notice": "signed-out"]), redirectType: .normal)
        try await SessionManager(services: services).end(on: req, response: response)
        return response
    }

    @Sendable func confirmEmailForm(req: Request) async throws -> Response {
        AuthPages.confirmEmail(req.viewer, token: req.query[String.self, at: "token"] ?? "")
    }

    /// Confirming proves the mailbox, so it also signs the person in.
    @Sendable func confirmEmail(req: Request) async throws -> Response {
        let form = try req.content.decode(TokenRequest.self)
        do {
            let user = try await Accounts(req, services: services).verifyEmail(token: form.token)
            let response = req.redirect(to: SiteURL.dashboard.path, redirectType: .normal)
            try await SessionManager(services: services).start(for: user, on: req, response: response)
            return response
        } catch AccountError.invalidLink {
            return AuthPages.invalidLink(req.viewer, message: AccountError.invalidLink.reason + " Log in and we'll send a fresh confirmation link.", retryPath: SiteURL.logIn.path)
        }
    }

    @Sendable func forgotForm(req: Request) async throws -> Response {
        AuthPages.forgotPassword(req.viewer)
    }

    @Sendable func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(EmailRequest.self)
        do {
            try await Accounts(req, services: services).requestReset(email: form.email)
        } catch AccountError.invalidInput(let errors) {
            return AuthPages.forgotPassword(req.viewer, email: form.email, error: errors["email"])
        }
        return AuthPages.forgotPassword(req.viewer, email: form.email, sent: true)
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        AuthPages.resetPassword(req.viewer, token: req.query[String.self, at: "token"] ?? "")
    }

    @Sendable func reset(req: Request) async throws -> Response {
        let form = try req.content.decode(ResetPasswordRequest.self)
        do {
            _ = try await Accounts(req, services: services).resetPassword(token: form.token, to: form.password)
        } catch AccountError.invalidInput(let errors) {
            return AuthPages.resetPassword(req.viewer, token: form.token, error: errors["password"])
        } catch AccountError.invalidLink {
            return AuthPages.invalidLink(req.viewer, message: AccountError.invalidLink.reason, retryPath: SiteURL.forgotPassword.path)
        }
        let response = req.redirect(to: SiteURL.logIn.path(["notice": "password-reset"]), redirectType: .normal)
        if req.currentSession != nil { try await SessionManager(services: services).end(on: req, response: response) }
        return response
    }

    /// A post-login destination on this site, or nil. Browsers drop tabs and newlines from URLs and read
    /// a backslash as a slash, so `/\t/evil.com` or `/\\evil.com` would leave the site: only printable
    /// ASCII without backslashes is accepted, in its raw and its percent-decoded form, and it must parse
    /// as a path with no scheme and no host.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.count < 512, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ (0x21..<0x7f).contains($0.value) && $0 != "\\" })
        else { return nil }
        var decoded = next
        while let once = decoded.removingPercentEncoding, once != decoded { decoded = once }
        guard !decoded.hasPrefix("//"), decoded.unicodeScalars.allSatisfy({ (0x20..<0x7f).contains($0.value) && $0 != "\\" }),
              let components = URLComponents(string: next), components.scheme == nil, components.host == nil,
              components.path.hasPrefix("/")
        else { return nil }
        return next
    }
}
