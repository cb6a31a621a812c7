import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// JSON twins: the list with the unread count, and marking one read.
struct NotificationsAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get(APIURL.notifications, use: list)
        signedIn.post(APIURL.notificationRead(.key), use: markRead)
    }

    @Sendable func list(req: Request) async throws -> NotificationListDTO {
        let items = try await req.notifications().latest()
        return NotificationListDTO(unread: items.filter { $0.status == .unread }.count, items: try items.map(NotificationDTO.init))
    }

    @Sendable func markRead(req: Request) async throws -> NotificationDTO {
        let notifications = try req.notifications()
        let notification = try await notifications.owned(req.parameters.get("notificationID", as: UUID.self))
        try await notifications.markRead([notification], at: services.clock.now())
        return try NotificationDTO(notification)
    }
}
