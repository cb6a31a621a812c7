import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// In-app notifications: the bell's count on every signed-in page, the list, and marking as read.
struct NotificationsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.notifications, use: list)
        routes.post(SiteURL.notificationRead(.key), use: markRead)
        routes.post(SiteURL.notificationsReadAll, use: markAllRead)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return NotificationsPage.render(req, items: items)
    }

    @Sendable func markRead(req: Request) async throws -> Response {
        let notification = try await Notifications.owned(req)
        try await Notifications.markRead([notification], req: req, at: services.clock.now())
        return req.redirect(to: notification.link ?? SiteURL.notifications.path, redirectType: .normal)
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let unread = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$status == .unread).all()
        try await Notifications.markRead(unread, req: req, at: services.clock.now())
        return req.redirect(to: SiteURL.notifications.path, redirectType: .normal)
    }
}
