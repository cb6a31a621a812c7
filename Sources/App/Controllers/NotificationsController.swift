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
        return NotificationsPage.render(req.viewer, items: try await req.notifications().latest().map(NotificationDTO.init))
    }

    @Sendable func markRead(req: Request) async throws -> Response {
        let notifications = try req.notifications()
        let notification = try await notifications.owned(req.parameters.get("notificationID", as: UUID.self))
        try await notifications.markRead([notification], at: services.clock.now())
        return req.redirect(to: notification.link ?? SiteURL.notifications.path, redirectType: .normal)
    }

    @Sendable func markAllRead(req: Request) async throws -> Response {
        try await req.notifications().markAllRead(at: services.clock.now())
        return req.redirect(to: SiteURL.notifications.path, redirectType: .normal)
    }
}
