import HeadshotCore
import SiteRoutes
import Vapor

struct LandingController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home, use: landing)
        routes.get(SiteURL.styles, use: styles)
        routes.get(SiteURL.privacy, use: privacy)
    }

    /// What is stored, where, for how long and who sees it, from the running configuration.
    @Sendable func privacy(req: Request) async throws -> Response {
        PrivacyPage.render(req.viewer, config: services.config)
    }

    /// The styles with real example renders; the catalogue's presets API is its JSON twin.
    @Sendable func styles(req: Request) async throws -> Response {
        StylesPage.render(req.viewer, generator: services.generator?.description, remoteStyles: services.remote?.presets.remotePresets ?? [])
    }

    @Sendable func landing(req: Request) async throws -> Response {
        LandingPage.render(req.viewer, packages: try await Catalog.packages(on: req.db), turnaround: try await Catalog.turnaround(on: req.db),
                          retention: services.config.retention, remoteStyles: services.remote?.presets.remotePresets ?? [])
    }
}
