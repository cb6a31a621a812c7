import HeadshotCore
import SiteRoutes
import Vapor

/// JSON twins of the landing page.
struct CatalogAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.packages, use: packages)
        routes.get(APIURL.turnaround, use: turnaround)
        routes.get(APIURL.presets, use: presets)
        routes.get(APIURL.consentPolicy, use: consentPolicy)
    }

    @Sendable func packages(req: Request) async throws -> [PackageDTO] {
        try await Catalog.packages(on: req.db)
    }

    @Sendable func presets(req: Request) async throws -> [PresetDTO] {
        StylePreset.allCases.map(PresetDTO.init)
    }

    @Sendable func consentPolicy(req: Request) async throws -> ConsentPolicyDTO {
        let retention = services.config.retention
        return ConsentPolicyDTO(version: ConsentPolicy.version, points: ConsentPolicy.points(retention),
                                selfieRetentionDays: retention.selfieDays, headshotRetentionDays: retention.headshotDays)
    }

    @Sendable func turnaround(req: Request) async throws -> TurnaroundDTO {
        try await Catalog.turnaround(on: req.db)
    }
}
