import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// `POST /webhooks/{gateway}`: provider events. Outside sessions and CSRF (the provider has neither);
/// trusted only through the signature. A signed event that is refused changes nothing and leaves an
/// AuditEvent; an unsigned or forged one is only counted (`payment_webhooks_rejected_total`).
struct WebhookController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, SiteURL.webhook(.key), body: .collect(maxSize: "1mb"), use: receive)
    }

    @Sendable func receive(req: Request) async throws -> Response {
        let gateway = services.payments
        guard req.parameters.get("gateway") == gateway.name else { throw Failure.noSuchPage }
        let payload = req.body.data.map { Array($0.readableBytesView) } ?? []
        let event: PaymentEvent
        do {
            event = try gateway.verifyWebhook(payload: payload, headers: req.headers, now: services.clock.now())
        } catch let error as WebhookError {
            // Unsigned requests cost a counter, not a row: anyone on the internet can send them.
            services.metrics.recordRejectedWebhook(gateway: gateway.name)
            req.logger.notice("webhook rejected: \(error)")
            throw Failure(.badRequest, "The webhook signature could not be verified.")
        }
        do {
            let fulfilment = Fulfilment(db: req.db, gateway: gateway.name, now: services.clock.now(), mail: services.mail, baseURL: services.config.baseURL)
            let result = if let lock = services.sqliteWriteLock {
                try await lock.run { try await fulfilment.handle(event) }
            } else {
                try await fulfilment.handle(event)
            }
            req.logger.info("webhook \(event.id) (\(event.kind.label)): \(result.outcome.rawValue)")
            // What the committed outcome still owes the gateway. Failures are retried by maintenance
            // (refunds) or harmless (a session left open that the order no longer accepts).
            if let refundID = result.refundToFinish {
                do {
                    try await Refunds(db: req.db, gateway: gateway, actor: AuditActor(kind: .webhook, requestID: req.requestID),
                                      now: services.clock.now(), lock: services.sqliteWriteLock).finish(refundID)
                } catch {
                    req.logger.error("automatic refund \(refundID) not paid back yet (maintenance retries it): \(error)")
                }
            }
            if let stale = result.expireCheckout {
                do { try await gateway.expireCheckout(stale) } catch { req.logger.warning("could not expire checkout \(stale): \(error)") }
            }
            return try await ["received": result.outcome.rawValue].encodeResponse(status: .ok, for: req)
        } catch let refusal as Fulfilment.Refusal {
            try await audit(req, "payment.webhook_refused", detail: "\(event.id): \(refusal.reason)", orderID: event.orderID)
            throw refusal
        }
    }

    private func audit(_ req: Request, _ action: String, detail: String, orderID: UUID?) async throws {
        try await Audit.record(action, subjectType: Order.auditSubject, subjectID: orderID,
                               by: AuditActor(kind: .webhook, requestID: req.requestID), detail: detail, at: services.clock.now(), on: req.db)
    }
}
