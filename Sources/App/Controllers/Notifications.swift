import Fluent
import HeadshotCore
import Vapor

enum Notifications {
    /// The caller's notification named by the route (404 for anyone else's).
    static func owned(_ req: Request) async throws -> Notification {
        let user = try req.requireUser()
        guard let id = req.parameters.get("notificationID", as: UUID.self),
              let notification = try await Notification.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { throw Failure.noSuchPage }
        return notification
    }

    static func markRead(_ notifications: [Notification], req: Request, at now: Date) async throws {
        for notification in notifications where notification.status == .unread {
            try await Audit.transition(notification, to: .read, by: req.actor, at: now, on: req.db)
        }
    }

    /// The bell's count, on every page a signed-in person opens: a prepared read (`PreparedRead`).
    static func unreadCount(for user: User, on db: any Database) async throws -> Int {
        let rows = try await PreparedReads.rows(UnreadCount.self, [try user.requireID(), NotificationStatus.unread.rawValue], on: db)
        return try rows.first?.decode(column: "unread", as: Int.self) ?? 0
    }

    private enum UnreadCount: PreparedRead {
        static let name = "unread_notifications"
        static let sql = #"SELECT COUNT(*) AS unread FROM "notifications" WHERE "user_id" = $1 AND "status" = $2"#
    }
}
