import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Styles, package and consent, then off to the payment provider; and the page people come back to.
struct CheckoutPagesController: RouteCollection {
    let services: AppServices

    /// The form as posted. Only choices are read: prices and counts come from the package.
    struct Form: Content {
        var package: String?
        var presets: [String]?
        var consent: String?
        var acceptFewer: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.order(.key, .checkout), use: form)
        routes.post(SiteURL.order(.key, .checkout), use: start)
        routes.get(SiteURL.order(.key, .payment), use: payment)
        routes.get(SiteURL.order(.key, .receipt), use: receipt)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        if let paid = try Self.pastPayment(req, order) { return paid }
        let set = try await PhotoSet.load(order: order.requireID(), on: req.db)
        guard set.ready else { throw Checkout.Problem.notReady(set.summary) }
        if order.teamID != nil {
            // The team pays: the team's styles and a submit button instead of packages and payment.
            return try await TeamPagesController.submitPage(req, order: order, orders: TeamOrders(db: req.db, services: services, actor: req.actor),
                                                            services: services, chosen: StylePreset.allCases.prefix(3).map(\.rawValue))
        }
        let query = try? req.query.decode(Form.self)
        let packages = try await Catalog.packages(on: req.db)
        let chosen = query?.package ?? order.$package.value??.code ?? CheckoutPage.defaultPackage
        // A package comes with every style it includes ticked: fewer is the customer's choice, never a trap.
        let included = packages.first { $0.code == chosen }?.maxPresets ?? StylePreset.allCases.count
        return try CheckoutPage.render(req.viewer, order: order, packages: packages,
                                       capacity: try await PlanCapacity.of(orderID: order.requireID(), on: req.db),
                                       chosenPackage: chosen,
                                       chosenPresets: order.presets?.split(separator: ",").map(String.init)
                                           ?? StylePreset.allCases.prefix(included).map(\.rawValue),
                                       retention: services.config.retention,
                                       selfiesDeleted: try await Retention.dates(of: order, policy: services.config.retention, on: req.db).selfies)
    }

    @Sendable func start(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        // Sent again from a stale tab after paying: the same answer as the page, not an error.
        if let paid = try Self.pastPayment(req, order) { return paid }
        let form = try req.content.decode(Form.self)
        let choice = Checkout.Choice(package: form.package ?? "", presets: form.presets ?? [], consent: form.consent == "yes",
                                     acceptFewer: form.acceptFewer == "yes")
        let errors: [String: String]
        do {
            let started = try await Checkout(db: req.db, services: services, actor: req.actor).start(order, choice: choice, user: try req.requireUser())
            return req.redirect(to: SiteURL.sameSite(started.session.url, base: services.config.baseURL), redirectType: .normal)
        } catch Checkout.Problem.invalid(let fields) {
            errors = fields
        } catch Checkout.Problem.short(let message) {
            errors = ["count": message]
        }
        return try CheckoutPage.render(req.viewer, order: order, packages: try await Catalog.packages(on: req.db),
                                       capacity: try await PlanCapacity.of(orderID: order.requireID(), on: req.db), chosenPackage: form.package,
                                       chosenPresets: form.presets ?? [], retention: services.config.retention,
                                       selfiesDeleted: try await Retention.dates(of: order, policy: services.config.retention, on: req.db).selfies,
                                       errors: errors, status: .unprocessableEntity)
    }

    /// The page the payment provider sends the customer back to: it waits for the provider's
    /// confirmation, then hands over to the order page, which follows the work live.
    /// The order's receipt as a page fit to print, once it has been paid.
    @Sendable func receipt(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        guard let receipt = try await PaymentReceipt.of(order, on: req.db) else {
            throw Failure(.notFound, "This order has not been paid, so it has no receipt.")
        }
        return ReceiptPage.render(req.viewer, receipt)
    }

    @Sendable func payment(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        guard order.status == .awaitingPayment else {
            return try Self.pastPayment(req, order) ?? req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path, redirectType: .normal)
        }
        return try PaymentStatusPage.render(req.viewer, order: order)
    }

    /// Where every checkout page of an order past its checkout sends the customer, however it was
    /// reached (reloaded, gone back to, a stale tab sent again): to the order, saying the payment was
    /// received when it was. Nil while the order can still be checked out.
    static func pastPayment(_ req: Request, _ order: Order) throws -> Response? {
        guard order.status != .draft, order.status != .awaitingPayment else { return nil }
        let paid: KeyValuePairs<String, String> = order.status.wasPaid ? ["notice": "paid"] : [:]
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path(paid), redirectType: .normal)
    }
}
