import HeadshotCore
import SiteRoutes
import Vapor

/// Publishes the OpenAPI 3.1 description of /api/v1 (kept true by a test against the registered routes).
struct OpenAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.openAPI, use: document)
    }

    @Sendable func document(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: OpenAPIDocument.json(serverURL: services.config.baseURL.absoluteString)))
        response.headers.contentType = .json
        return response
    }
}
