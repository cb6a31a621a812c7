import HeadshotCore
import SiteRoutes
import Vapor

extension SitePath {
    /// What a route is registered with.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .constant(let text): .constant(text)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

}

/// Routes are registered with typed paths only.
extension RoutesBuilder {
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: some SitePath, body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, url.pathComponents, body: body, use: handler)
    }

    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ url: some SitePath, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.GET, url, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(_ url: some SitePath, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.POST, url, use: handler)
    }

    @discardableResult
    func put<Response: AsyncResponseEncodable>(_ url: some SitePath, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PUT, url, use: handler)
    }

    @discardableResult
    func patch<Response: AsyncResponseEncodable>(_ url: some SitePath, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PATCH, url, use: handler)
    }

    @discardableResult
    func delete<Response: AsyncResponseEncodable>(_ url: some SitePath, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.DELETE, url, use: handler)
    }
}
