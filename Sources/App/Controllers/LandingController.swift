import Vapor

struct LandingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: landing)
    }

    @Sendable func landing(req: Request) async throws -> Response {
        LandingPage.render(req, packages: try await Catalog.packages(on: req.db), turnaround: try await Catalog.turnaround(on: req.db))
    }
}
