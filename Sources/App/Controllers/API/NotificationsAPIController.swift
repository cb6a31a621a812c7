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
        let user = try req.requireUser()
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return NotificationListDTO(unread: items.filter { $0.status == .unread }.count, items: try items.map(NotificationDTO.init))
    }

    @Sendable func markRead(req: Request) async throws -> NotificationDTO {
        let notification = try await Notifications.owned(req)
        try await Notifications.markRead([notification], req: req, at: services.clock.now())
        return try NotificationDTO(notification)
    }
}
