import Fluent
import Vapor

/// The gallery's JSON twin: a completed order's headshots with signed links.
struct HeadshotsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("orders", ":orderID", "headshots", use: list)
    }

    @Sendable func list(req: Request) async throws -> HeadshotListDTO {
        let order = try await OrderPhotos(req: req).order()
        guard order.status == .completed else { throw Abort(.conflict, reason: "This order's headshots are not ready yet.") }
        let gallery = try await Gallery.load(order: order, user: try req.requireUser().requireID(), links: req.application.downloadLinks,
                                             now: req.clock.now(), on: req.db)
        return HeadshotListDTO(headshots: gallery.items.map(HeadshotDTO.init), linksExpireAt: gallery.linksExpire, deleteAfter: gallery.deleteAfter)
    }
}
