import HeadshotCore
import SiteRoutes
import Vapor

/// "Download my data" over the API: ask for an export (prepared in the background and emailed), then
/// follow its status; the download link needs the owner's login like every download.
struct DataExportsAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let me = routes.grouped(User.guardMiddleware())
        me.post(APIURL.dataExports, use: create)
        me.get(APIURL.dataExport(.key), use: show)
    }

    private func exports(_ req: Request) -> DataExports { DataExports(db: req.db, services: services, actor: req.actor) }

    @Sendable func create(req: Request) async throws -> Response {
        let export = try await exports(req).request(for: try req.requireUser())
        return try await DataExportDTO(export, link: nil).encodeResponse(status: .accepted, for: req)
    }

    @Sendable func show(req: Request) async throws -> DataExportDTO {
        let export = try await exports(req).find(req.parameters.get("exportID", as: UUID.self), for: try req.requireUser().requireID())
        return try DataExportDTO(export, link: try exports(req).link(for: export).map { services.config.baseURL.absoluteString.trimmingSuffix("/") + $0 })
    }
}
