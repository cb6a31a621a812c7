import Fluent
import Vapor

/// The development outbox; registered only outside production.
struct DevOutboxController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.devOutbox, use: list)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(100).all()
        return OutboxPage.render(req, messages: messages)
    }
}
