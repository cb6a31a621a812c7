import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The sandbox gateway's hosted checkout pages (only when the sandbox is the configured gateway).
struct SandboxCheckoutController: RouteCollection {
    let services: AppServices

    struct CardForm: Content {
        var cardNumber: String?
        enum CodingKeys: String, CodingKey { case cardNumber = "card_number" }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.sandboxCheckout(.key), use: show)
        routes.post(SiteURL.sandboxCheckout(.key), use: pay)
    }

    private func checkout(_ req: Request) async throws -> SandboxCheckout {
        guard let reference = req.parameters.get("reference"),
              let checkout = try await SandboxCheckout.query(on: req.db).filter(\.$reference == reference).first()
        else { throw Failure(.notFound, "This checkout does not exist.") }
        return checkout
    }

    @Sendable func show(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: returnPath(checkout.successURL)) }
        if checkout.state == .expired { throw Self.expired }
        return SandboxCheckoutPage.render(req, checkout: checkout, cancel: returnPath(checkout.cancelURL))
    }

    /// A test card: 4242… pays (and the signed webhook is sent), the others fail like a bank would.
    @Sendable func pay(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: returnPath(checkout.successURL), redirectType: .normal) }
        if checkout.state == .expired { throw Self.expired }
        let card = SandboxCard(number: (try req.content.decode(CardForm.self)).cardNumber ?? "")
        if let problem = card.problem {
            return SandboxCheckoutPage.render(req, checkout: checkout, cancel: returnPath(checkout.cancelURL), problem: problem, status: .paymentRequired)
        }
        let paymentIntent = "pi_sandbox_" + SecureToken.generate(prefix: "").prefix(24)
        try await req.db.transaction { tx in
            // Paying and expiring race like they do at a provider: only an open session can be paid.
            let opened = try await SandboxCheckout.query(on: tx).filter(\.$id == checkout.requireID()).filter(\.$state == .open).count()
            guard opened == 1 else { throw Self.expired }
            checkout.state = .paid
            checkout.paymentReference = paymentIntent
            try await checkout.save(on: tx)
            try await SandboxWebhooks.enqueue(type: "checkout.session.completed", object: [
                "id": checkout.reference, "object": "checkout.session", "payment_status": "paid", "status": "complete",
                "amount_total": checkout.amountMinor, "currency": checkout.currency.lowercased(),
                "client_reference_id": checkout.orderID.uuidString, "payment_intent": paymentIntent,
            ], on: tx, at: services.clock.now())
        }
        // Deliver right away, as a provider would; the background loop retries whatever fails.
        if services.config.runWorkers { Task { [services] in _ = try? await services.deliverSandboxWebhooks() } }
        return req.redirect(to: returnPath(checkout.successURL), redirectType: .normal)
    }

    /// The hosted page lives on this site: going back to it stays on the browser's address (a
    /// loopback alias of BASE_URL, say), which the page's `form-action 'self'` requires.
    private func returnPath(_ url: String) -> String {
        SiteURL.sameSite(url, base: services.config.baseURL)
    }

    static let expired = Failure(.gone, "This checkout has expired because a newer one was started for the order. Go back to your order to pay.")
}
