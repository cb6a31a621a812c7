import Vapor

/// JSON twins of the landing page and dashboard.
struct CatalogAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("packages", use: packages)
        routes.get("turnaround", use: turnaround)
        routes.grouped(User.guardMiddleware()).get("orders", use: orders)
    }

    @Sendable func packages(req: Request) async throws -> [PackageDTO] {
        try await Catalog.packages(on: req.db)
    }

    @Sendable func turnaround(req: Request) async throws -> TurnaroundDTO {
        try await Catalog.turnaround(on: req.db)
    }

    @Sendable func orders(req: Request) async throws -> [OrderDTO] {
        try await Orders.list(for: try req.requireUser(), on: req.db)
    }
}
