import HeadshotCore
import Vapor

/// A notification as the API shows it.
struct NotificationDTO: Content {
    let id: UUID
    let kind: String
    let title: String
    let body: String
    let link: String?
    let read: Bool
    let createdAt: Date?

    init(_ notification: Notification) throws {
        id = try notification.requireID()
        kind = notification.kind
        title = notification.title
        body = notification.body
        link = notification.link
        read = notification.status == .read
        createdAt = notification.createdAt
    }
}

struct NotificationListDTO: Content {
    let unread: Int
    let items: [NotificationDTO]
}
