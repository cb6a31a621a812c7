import HeadshotCore
import SiteRoutes
import Vapor

/// `POST /webhooks/remote`: the predictions provider's webhooks, outside sessions and CSRF, trusted
/// only through their Standard Webhooks signature. An unverified call is counted
/// (`payment_webhooks_rejected_total{gateway="remote"}`) and writes no row.
struct RemoteWebhookController: RouteCollection {
    let services: AppServices
    let secret: String

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, SiteURL.remoteWebhook, body: .collect(maxSize: "1mb"), use: receive)
    }

    @Sendable func receive(req: Request) async throws -> Response {
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        let outcome: RemoteWebhooks.Outcome
        do {
            outcome = try await RemoteWebhooks(db: req.db, secret: secret, now: services.clock.now()).receive(
                id: req.headers.first(name: StandardWebhook.idHeader), timestamp: req.headers.first(name: StandardWebhook.timestampHeader),
                signature: req.headers.first(name: StandardWebhook.signatureHeader), body: body)
        } catch let problem as StandardWebhook.Problem {
            services.metrics.recordRejectedWebhook(gateway: "remote")
            req.logger.notice("remote webhook rejected: \(problem)")
            throw Failure(.badRequest, "The webhook signature could not be verified.")
        } catch is PredictionsError {
            throw Failure(.badRequest, "The webhook body is not a prediction.")
        }
        return try await ["received": outcome.rawValue].encodeResponse(status: .ok, for: req)
    }
}
