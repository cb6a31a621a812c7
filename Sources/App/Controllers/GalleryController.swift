import Fluent
import Vapor

/// The gallery page of a completed order.
struct GalleryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("orders", ":orderID", "gallery", use: show)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).order()
        guard order.status == .completed else {
            return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())", redirectType: .normal)
        }
        let gallery = try await Gallery.load(order: order, user: try req.requireUser().requireID(), links: req.application.downloadLinks,
                                             now: req.clock.now(), on: req.db)
        let preset = req.query[String.self, at: "preset"].flatMap { StylePreset(rawValue: $0)?.rawValue }
        return try GalleryPage.render(req, order: order, gallery: gallery, preset: preset)
    }
}
