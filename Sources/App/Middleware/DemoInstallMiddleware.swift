import HeadshotCore
import Vapor

/// Marks every request of a demo install (production on the sandbox gateway, allowed with
/// `ALLOW_SANDBOX_IN_PRODUCTION=true`), so every page carries the "no real payments" banner.
struct DemoInstallMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = Bool }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        req.storage[Key.self] = true
        return try await next.respond(to: req)
    }
}
