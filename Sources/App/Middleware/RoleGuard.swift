import HeadshotCore
import SiteRoutes
import Vapor

/// Lets a request through only for a signed-in user of at least `role`.
struct RoleGuard: AsyncMiddleware {
    let role: User.Role

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try req.requireUser()
        guard user.role >= role else {
            // Staff know the console exists: support is told an admin page is not theirs (403). Anyone
            // else learns nothing about what exists there (404).
            if user.role >= .support { throw Failure(.forbidden, "This needs the \(role.rawValue) role.", code: "forbidden") }
            throw Failure.noSuchPage
        }
        return try await next.respond(to: req)
    }
}

/// Sends signed-out browsers to the login page and back afterwards.
struct PageLoginGuard: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.currentUser != nil else {
            let target = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            return req.redirect(to: SiteURL.logIn.path(["next": target]))
        }
        return try await next.respond(to: req)
    }
}
