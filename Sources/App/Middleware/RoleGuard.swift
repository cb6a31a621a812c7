import Vapor

/// Lets a request through only for a signed-in user of at least `role`.
struct RoleGuard: AsyncMiddleware {
    let role: User.Role

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try req.requireUser()
        // Not 403: a user without the role learns nothing about what exists there.
        guard user.role >= role else { throw Abort(.notFound) }
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
