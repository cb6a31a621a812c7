import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The sandbox gateway's hosted checkout pages (only when the sandbox is the configured gateway).
struct SandboxCheckoutController: RouteCollection {
    let services: AppServices

    struct CardForm: Content {
        var cardNumber: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.sandboxCheckout(.key), use: show)
        routes.post(SiteURL.sandboxCheckout(.key), use: pay)
    }

    private func checkout(_ req: Request) async throws -> SandboxCheckout {
        try await SandboxCheckout.find(reference: req.parameters.get("reference"), on: req.db)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: returnPath(checkout.successURL)) }
        if checkout.state == .expired { throw SandboxCheckout.expired }
        return SandboxCheckoutPage.render(req.viewer, checkout: checkout, cancel: returnPath(checkout.cancelURL))
    }

    /// A test card: 4242… pays (and the signed webhook is sent), the others fail like a bank would.
    @Sendable func pay(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: returnPath(checkout.successURL), redirectType: .normal) }
        if checkout.state == .expired { throw SandboxCheckout.expired }
        let card = SandboxCard(number: (try req.content.decode(CardForm.self)).cardNumber ?? "")
        if let problem = card.problem {
            return SandboxCheckoutPage.render(req.viewer, checkout: checkout, cancel: returnPath(checkout.cancelURL), problem: problem, status: .paymentRequired)
        }
        try await checkout.pay(at: services.clock.now(), on: req.db)
        // Deliver right away, as a provider would; the background loop retries whatever fails.
        if services.config.runWorkers { Task { [services] in _ = try? await services.deliverSandboxWebhooks() } }
        return req.redirect(to: returnPath(checkout.successURL), redirectType: .normal)
    }

    /// The hosted page lives on this site: going back to it stays on the browser's address (a
    /// loopback alias of BASE_URL, say), which the page's `form-action 'self'` requires.
    private func returnPath(_ url: String) -> String {
        SiteURL.sameSite(url, base: services.config.baseURL)
    }
}
