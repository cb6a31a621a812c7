import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The development outbox: every mail the service sent, reset links included. Registered only in the
/// development environment, and it answers only clients on this machine unless `DEV_OUTBOX_REMOTE=true`.
struct DevOutboxController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.devOutbox, use: list)
    }

    @Sendable func list(req: Request) async throws -> Response {
        guard services.config.devOutboxRemote || req.isFromLoopback else { throw Failure.noSuchPage }
        let messages = try await OutgoingMail.latest(100, on: req.db)
        return DevOutboxPage.render(req.viewer, messages: messages)
    }
}
