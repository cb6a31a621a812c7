import Fluent
import Vapor

/// Styles, package and consent, then off to the payment provider; and the page people come back to.
struct CheckoutPagesController: RouteCollection {
    /// The form as posted. Only choices are read: prices and counts come from the package.
    struct Form: Content {
        var package: String?
        var presets: [String]?
        var consent: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let order = routes.grouped("orders", ":orderID")
        order.get("checkout", use: form)
        order.post("checkout", use: start)
        order.get("payment", use: payment)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).order()
        guard order.status == .draft || order.status == .awaitingPayment else {
            return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())")
        }
        let set = try await PhotoSet.load(order: order.requireID(), on: req.db)
        guard set.ready else { throw Checkout.Problem.notReady(set.summary) }
        return try CheckoutPage.render(req, order: order, packages: try await Catalog.packages(on: req.db),
                                       chosenPackage: order.$package.value??.code,
                                       chosenPresets: order.presets?.split(separator: ",").map(String.init) ?? StylePreset.allCases.prefix(3).map(\.rawValue))
    }

    @Sendable func start(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).order()
        let form = try req.content.decode(Form.self)
        let choice = Checkout.Choice(package: form.package ?? "", presets: form.presets ?? [], consent: form.consent == "yes")
        do {
            let session = try await Checkout(req: req).start(order, choice: choice, user: try req.requireUser())
            return req.redirect(to: session.url, redirectType: .normal)
        } catch Checkout.Problem.invalid(let errors) {
            return try CheckoutPage.render(req, order: order, packages: try await Catalog.packages(on: req.db), chosenPackage: form.package,
                                           chosenPresets: form.presets ?? [], errors: errors, status: .unprocessableEntity)
        }
    }

    @Sendable func payment(req: Request) async throws -> Response {
        try PaymentStatusPage.render(req, order: try await OrderPhotos(req: req).order())
    }
}

/// The sandbox gateway's hosted checkout pages (only when the sandbox is the configured gateway).
struct SandboxCheckoutController: RouteCollection {
    struct CardForm: Content {
        var cardNumber: String?
        enum CodingKeys: String, CodingKey { case cardNumber = "card_number" }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sandbox", "checkout", ":reference", use: show)
        routes.post("sandbox", "checkout", ":reference", use: pay)
    }

    private func checkout(_ req: Request) async throws -> SandboxCheckout {
        guard let reference = req.parameters.get("reference"),
              let checkout = try await SandboxCheckout.query(on: req.db).filter(\.$reference == reference).first()
        else { throw Abort(.notFound, reason: "This checkout does not exist.") }
        return checkout
    }

    @Sendable func show(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: checkout.successURL) }
        return SandboxCheckoutPage.render(req, checkout: checkout)
    }

    /// A test card: 4242… pays (and the signed webhook is sent), the others fail like a bank would.
    @Sendable func pay(req: Request) async throws -> Response {
        let checkout = try await checkout(req)
        if checkout.state == .paid { return req.redirect(to: checkout.successURL, redirectType: .normal) }
        let card = SandboxCard(number: (try req.content.decode(CardForm.self)).cardNumber ?? "")
        if let problem = card.problem {
            return SandboxCheckoutPage.render(req, checkout: checkout, problem: problem, status: .paymentRequired)
        }
        let paymentIntent = "pi_sandbox_" + SecureToken.generate(prefix: "").prefix(24)
        try await req.db.transaction { tx in
            checkout.state = .paid
            checkout.paymentReference = paymentIntent
            try await checkout.save(on: tx)
            try await SandboxWebhooks.enqueue(type: "checkout.session.completed", object: [
                "id": checkout.reference, "object": "checkout.session", "payment_status": "paid", "status": "complete",
                "amount_total": checkout.amountMinor, "currency": checkout.currency.lowercased(),
                "client_reference_id": checkout.orderID.uuidString, "payment_intent": paymentIntent,
            ], on: tx, at: req.now)
        }
        // Deliver right away, as a provider would; the background loop retries whatever fails.
        let app = req.application
        if app.config.runWorkers { Task { _ = try? await app.deliverSandboxWebhooks() } }
        return req.redirect(to: checkout.successURL, redirectType: .normal)
    }
}
