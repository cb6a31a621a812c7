import Vapor

struct LandingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: landing)
        routes.get("styles", use: styles)
    }

    /// The styles with real example renders; the catalogue's presets API is its JSON twin.
    @Sendable func styles(req: Request) async throws -> Response {
        StylesPage.render(req, generator: req.application.generator?.description)
    }

    @Sendable func landing(req: Request) async throws -> Response {
        LandingPage.render(req, packages: try await Catalog.packages(on: req.db), turnaround: try await Catalog.turnaround(on: req.db))
    }
}
