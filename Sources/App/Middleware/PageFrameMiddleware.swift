import Fluent
import HeadshotCore
import Vapor

// What the page frame shows beside the page itself (read into `req.viewer`).

/// Marks every request of a demo install (production on the sandbox gateway, allowed with
/// `ALLOW_SANDBOX_IN_PRODUCTION=true`), so every page carries the "no real payments" banner.
struct DemoInstallMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = Bool }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        req.storage[Key.self] = true
        return try await next.respond(to: req)
    }
}

/// Counts the signed-in user's unread notifications for the bell in the page frame.
struct UnreadNotificationsMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = Int }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .GET, let user = req.currentUser {
            req.storage[Key.self] = try await Notifications.unreadCount(for: try user.requireID(), on: req.db)
        }
        return try await next.respond(to: req)
    }
}
