import Fluent
import HeadshotCore
import Vapor

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
