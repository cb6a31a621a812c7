import Fluent
import Vapor

/// In-app notifications: the bell's count on every signed-in page, the list, and marking as read.
struct NotificationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("notifications", use: list)
        routes.post("notifications", ":notificationID", "read", use: markRead)
        routes.post("notifications", "read-all", use: markAllRead)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return NotificationsPage.render(req, items: items)
    }

    @Sendable func markRead(req: Request) async throws -> Response {
        let notification = try await Notifications.owned(req)
        try await Notifications.markRead([notification], req: req)
        return req.redirect(to: notification.link ?? "/notifications", redirectType: .normal)
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unread = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$status == .unread).all()
        try await Notifications.markRead(unread, req: req)
        return req.redirect(to: "/notifications", redirectType: .normal)
    }
}

/// JSON twins: the list with the unread count, and marking one read.
struct NotificationsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get("notifications", use: list)
        signedIn.post("notifications", ":notificationID", "read", use: markRead)
    }

    @Sendable func list(req: Request) async throws -> NotificationListDTO {
        let user = try req.requireUser()
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return NotificationListDTO(unread: items.filter { $0.status == .unread }.count, items: try items.map(NotificationDTO.init))
    }

    @Sendable func markRead(req: Request) async throws -> NotificationDTO {
        let notification = try await Notifications.owned(req)
        try await Notifications.markRead([notification], req: req)
        return try NotificationDTO(notification)
    }
}

enum Notifications {
    /// The caller's notification named by the route (404 for anyone else's).
    static func owned(_ req: Request) async throws -> Notification {
        let user = try req.requireUser()
        guard let id = req.parameters.get("notificationID", as: UUID.self),
              let notification = try await Notification.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { throw Abort(.notFound) }
        return notification
    }

    static func markRead(_ notifications: [Notification], req: Request) async throws {
        for notification in notifications where notification.status == .unread {
            try await Audit.transition(notification, to: .read, by: req.actor, at: req.now, on: req.db)
        }
    }

    static func unreadCount(for user: User, on db: any Database) async throws -> Int {
        try await Notification.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$status == .unread).count()
    }
}

/// Counts the signed-in user's unread notifications for the bell in the page frame.
struct UnreadNotificationsMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = Int }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .GET, let user = req.currentUser {
            req.storage[Key.self] = try await Notifications.unreadCount(for: user, on: req.db)
        }
        return try await next.respond(to: req)
    }
}
