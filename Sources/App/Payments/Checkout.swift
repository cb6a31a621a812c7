import Crypto
import Fluent
import Foundation
import Imaging
import Vapor

/// Starting a payment for an order. Everything that decides money is read on the server: the
/// package by its code, its price and count from the database, never from the request.
struct Checkout {
    struct Choice: Content {
        var package: String
        var presets: [String]
        var consent: Bool
    }

    enum Problem: DomainError {
        case invalid([String: String])
        case notReady(String)
        case notEditable

        var kind: FailureKind {
            switch self {
            case .invalid: .invalid
            case .notReady, .notEditable: .conflict
            }
        }
        var code: String {
            switch self {
            case .invalid: "invalid_input"
            case .notReady: "set_not_ready"
            case .notEditable: "order_locked"
            }
        }
        var reason: String {
            switch self {
            case .invalid(let fields): fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
            case .notReady(let summary): "Your photos aren't ready yet: \(summary)"
            case .notEditable: "This order has already been paid for."
            }
        }
    }

    let db: any Database
    let services: AppServices
    /// Who acts, for the audit trail.
    let actor: AuditActor

    /// Validates the choice, prices the order from its package, records consent, and opens the
    /// provider's checkout. Returns where to send the customer.
    func start(_ order: Order, choice: Choice, user: User) async throws -> CheckoutSession {
        let orderID = try order.requireID()
        if order.status == .awaitingPayment {
            // Back from the provider to change the choice: the order is a draft again.
            try await Audit.transition(order, to: .draft, by: actor, detail: "checkout restarted", at: services.clock.now(), on: db)
        }
        guard order.status == .draft else { throw Problem.notEditable }
        let set = try await PhotoSet.load(order: orderID, on: db)
        guard set.ready else { throw Problem.notReady(set.summary) }

        var errors: [String: String] = [:]
        let package = try await Package.query(on: db).filter(\.$code == choice.package).filter(\.$active == true).first()
        if package == nil { errors["package"] = "Choose one of the packages." }
        let presets = StylePreset.list(choice.presets)
        if presets.isEmpty || presets.count != Set(choice.presets).count {
            errors["presets"] = "Choose at least one of the five styles."
        } else if let package, presets.count > package.maxPresets {
            errors["presets"] = "\(package.name) includes up to \(package.maxPresets) styles; you chose \(presets.count)."
        }
        if !choice.consent { errors["consent"] = "Please tick the box to agree to how we handle your photos." }
        guard errors.isEmpty, let package else { throw Problem.invalid(errors) }

        order.$package.id = try package.requireID()
        order.amountMinor = package.priceMinor
        order.currency = package.currency
        order.headshotCount = package.headshotCount
        order.presets = presets.map(\.rawValue).joined(separator: ",")
        order.consentVersion = ConsentPolicy.version
        order.consentedAt = services.clock.now()
        order.paymentGateway = services.payments.name
        try await order.save(on: db)
        try await Audit.transition(order, to: .awaitingPayment, by: actor,
                                   detail: "\(package.code) \(package.priceMinor) \(package.currency); consent \(ConsentPolicy.version)",
                                   at: services.clock.now(), on: db)

        let base = services.config.baseURL
        let id = orderID.uuidString.lowercased()
        // Same order, package, price and styles → same key: a retried request reuses the session.
        let key = SHA256.hash(data: Data("\(id)|\(package.code)|\(package.priceMinor)|\(package.currency)|\(order.presets ?? "")".utf8))
            .map { String(format: "%02x", $0) }.joined()
        let session = try await services.payments.createCheckout(CheckoutRequest(
            orderID: orderID, amountMinor: package.priceMinor, currency: package.currency,
            description: "Headshot Studio \(package.name): \(package.headshotCount) headshots", customerEmail: user.email,
            successURL: SiteURL.order(.value(orderID), .payment).absolute(on: base),
            cancelURL: SiteURL.order(.value(orderID), .checkout).absolute(on: base), idempotencyKey: key
        ))
        order.checkoutReference = session.id
        try await order.save(on: db)
        return session
    }
}
