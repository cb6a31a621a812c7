import Fluent
import Vapor

enum Notifications {
    /// The caller's notification named by the route (404 for anyone else's).
    static func owned(_ req: Request) async throws -> Notification {
        let user = try req.requireUser()
        guard let id = req.parameters.get("notificationID", as: UUID.self),
              let notification = try await Notification.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { throw Abort(.notFound) }
        return notification
    }

    static func markRead(_ notifications: [Notification], req: Request, at now: Date) async throws {
        for notification in notifications where notification.status == .unread {
            try await Audit.transition(notification, to: .read, by: req.actor, at: now, on: req.db)
        }
    }

    static func unreadCount(for user: User, on db: any Database) async throws -> Int {
        try await Notification.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$status == .unread).count()
    }
}
