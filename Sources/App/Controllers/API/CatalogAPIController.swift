import Vapor

/// JSON twins of the landing page.
struct CatalogAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("packages", use: packages)
        routes.get("turnaround", use: turnaround)
    }

    @Sendable func packages(req: Request) async throws -> [PackageDTO] {
        try await Catalog.packages(on: req.db)
    }

    @Sendable func turnaround(req: Request) async throws -> TurnaroundDTO {
        try await Catalog.turnaround(on: req.db)
    }
}
