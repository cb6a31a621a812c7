import FluentKit
import Foundation

/// A person's in-app notifications (the bell): the pages and the API share these. Anyone else's
/// notification is "no such page", like a missing one.
package struct Notifications {
    package let db: any Database
    /// Whose notifications these are.
    package let owner: UUID
    /// Who acts, for the audit trail.
    package let actor: AuditActor

    package init(db: any Database, owner: UUID, actor: AuditActor) {
        self.db = db
        self.owner = owner
        self.actor = actor
    }

    /// The newest 100, newest first.
    package func latest() async throws -> [Notification] {
        try await Notification.query(on: db).filter(\.$user.$id == owner).sort(\.$createdAt, .descending).limit(100).all()
    }

    /// The owner's notification `id` (no such page for a missing id or anyone else's).
    package func owned(_ id: UUID?) async throws -> Notification {
        guard let id, let notification = try await Notification.query(on: db).filter(\.$id == id).filter(\.$user.$id == owner).first()
        else { throw Failure.noSuchPage }
        return notification
    }

    /// Marks each unread one of `notifications` read, with its audit event.
    package func markRead(_ notifications: [Notification], at now: Date) async throws {
        for notification in notifications where notification.status == .unread {
            try await Audit.transition(notification, to: .read, by: actor, at: now, on: db)
        }
    }

    /// Marks every unread notification of the owner read.
    package func markAllRead(at now: Date) async throws {
        try await markRead(try await Notification.query(on: db).filter(\.$user.$id == owner).filter(\.$status == .unread).all(), at: now)
    }

    /// The bell's count, on every page a signed-in person opens: a prepared read (`PreparedRead`).
    package static func unreadCount(for user: UUID, on db: any Database) async throws -> Int {
        let rows = try await PreparedReads.rows(UnreadCount.self, [user, NotificationStatus.unread.rawValue], on: db)
        return try rows.first?.decode(column: "unread", as: Int.self) ?? 0
    }

    private enum UnreadCount: PreparedRead {
        static let name = "unread_notifications"
        static let sql = #"SELECT COUNT(*) AS unread FROM "notifications" WHERE "user_id" = $1 AND "status" = $2"#
    }
}
