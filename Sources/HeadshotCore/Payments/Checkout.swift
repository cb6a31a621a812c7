import Crypto
import FluentKit
import Foundation
import Imaging
import SiteRoutes

/// Starting a payment for an order. Everything that decides money is read on the server: the
/// package by its code, its price and count from the database, never from the request.
package struct Checkout {
    package struct Choice: Codable, Sendable {
        package var package: String
        package var presets: [String]
        package var consent: Bool
        /// Agreed to pay for fewer headshots than the package has, when the photos cannot give that
        /// many different pictures in the chosen styles (the price is reduced in proportion).
        package var acceptFewer: Bool?

        package init(package: String, presets: [String], consent: Bool, acceptFewer: Bool?) {
            self.package = package
            self.presets = presets
            self.consent = consent
            self.acceptFewer = acceptFewer
        }
    }

    package enum Problem: DomainError {
        case invalid([String: String])
        /// The photos give fewer different headshots than the package has: `message` says how many and what to do.
        case short(String)
        case notReady(String)
        case notEditable

        package var kind: FailureKind {
            switch self {
            case .invalid, .short: .invalid
            case .notReady, .notEditable: .conflict
            }
        }
        package var code: String {
            switch self {
            case .invalid: "invalid_input"
            case .short: "fewer_headshots"
            case .notReady: "set_not_ready"
            case .notEditable: "order_locked"
            }
        }
        package var reason: String {
            switch self {
            case .invalid(let fields): fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
            case .short(let message): message
            case .notReady(let summary): "Your photos aren't ready yet: \(summary)"
            case .notEditable: "This order has already been paid for."
            }
        }
    }

    package let db: any Database
    package let context: DomainContext
    package let payments: any PaymentGateway
    package let uploads: UploadPorts
    /// Who acts, for the audit trail.
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, payments: any PaymentGateway, uploads: UploadPorts, actor: AuditActor) {
        self.db = db
        self.context = context
        self.payments = payments
        self.uploads = uploads
        self.actor = actor
    }

    /// A started checkout: the provider's session and what it charges.
    package struct Started {
        package let session: CheckoutSession
        package let amountMinor: Int
        package let currency: String
        package let headshotCount: Int
    }

    /// Validates the choice, prices the order from its package, records consent, and opens the
    /// provider's checkout. Returns where to send the customer. A checkout started again replaces the
    /// previous session: it is expired at the gateway, and a payment that still arrives for it is
    /// fulfilled as what it sold or refunded (see `Fulfilment`).
    package func start(_ order: Order, choice: Choice, user: User) async throws -> Started {
        let orderID = try order.requireID()
        guard [.draft, .awaitingPayment].contains(order.status) else { throw Problem.notEditable }
        if order.teamID != nil {
            throw Failure(.conflict, "Your team pays for this order: submit it with the team's styles instead of paying.", code: "paid_by_team")
        }
        let set = try await PhotoSet.load(order: orderID, on: db)
        guard set.ready else { throw Problem.notReady(set.summary) }
        if set.rejected > 0, order.status == .draft {
            // Refused photos are never used nor kept: they go before the order is priced.
            try await OrderPhotos(db: db, context: context, uploads: uploads, owner: try user.requireID(), actor: actor).removeUnusable(of: order)
        }

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

        // Honest counts: the plan says how many different headshots these photos give in these
        // styles. Fewer than the package has: the customer adds photos, or pays for what they get.
        let plan = try await HeadshotPlans.plan(orderID: orderID, presets: presets.map(\.rawValue), count: package.headshotCount, on: db)
        guard plan.deliverable > 0 else {
            throw Problem.notReady("none of these photos can be framed as a headshot. Add photos that show your head and shoulders.")
        }
        let price = Self.price(package, delivering: plan.deliverable)
        if plan.isShort, choice.acceptFewer != true {
            let capacity = try await PlanCapacity.of(orderID: orderID, on: db)
            let add = capacity.photosToAdd(count: package.headshotCount, styles: presets.count)
            let moreStyles = capacity.stylesForAll(count: package.headshotCount, maxStyles: package.maxPresets).map { " or choose at least \($0) styles" } ?? ""
            throw Problem.short("Your photos give \(plan.deliverable) different headshots in \(presets.count) style\(presets.count == 1 ? "" : "s"), not \(package.headshotCount): "
                + "each style can have \(plan.distinctPerStyle) different pictures from them. Add \(add) more photo\(add == 1 ? "" : "s") (other outfits, settings or a looser framing)\(moreStyles), "
                + "or continue with \(plan.deliverable) headshots for \(Money.format(minor: price, currency: package.currency)).")
        }

        // 1. Under the order's lock: price it, and retire the session it had (a payment racing in for
        //    that session waits for this, then finds it superseded).
        let now = context.clock.now(), gateway = payments.name
        let (previous, attempt) = try await locked(orderID) { tx -> (String?, Int) in
            guard let order = try await Order.find(orderID, on: tx) else { throw Problem.notEditable }
            if order.status == .awaitingPayment {
                // Back from the provider to change the choice: the order is a draft again.
                try await Audit.transition(order, to: .draft, by: actor, detail: "checkout restarted", at: now, on: tx)
            }
            guard order.status == .draft else { throw Problem.notEditable }
            let previous = order.checkoutReference
            if let previous {
                try await CheckoutSessionRecord.query(on: tx).filter(\.$orderID == orderID).filter(\.$reference == previous)
                    .set(\.$supersededAt, to: now).update()
            }
            order.$package.id = try package.requireID()
            order.amountMinor = price
            order.currency = package.currency
            order.headshotCount = plan.deliverable
            order.rerunCredits = package.rerunCredits
            order.presets = presets.map(\.rawValue).joined(separator: ",")
            order.consentVersion = ConsentPolicy.version
            order.consentedAt = now
            order.paymentGateway = gateway
            order.checkoutReference = nil
            try await order.save(on: tx)
            try await Audit.transition(order, to: .awaitingPayment, by: actor,
                                       detail: "\(package.code) \(price) \(package.currency), \(plan.deliverable) headshots; consent \(ConsentPolicy.version)",
                                       at: now, on: tx)
            let attempt = try await CheckoutSessionRecord.query(on: tx).filter(\.$orderID == orderID).count() + 1
            return (previous, attempt)
        }

        // 2. At the gateway: the previous session can no longer be paid, and the new one opens. An
        //    expiry that fails is logged; a late payment of that session is still handled.
        if let previous {
            do { try await payments.expireCheckout(previous) }
            catch { context.logger.warning("could not expire superseded checkout \(previous): \(error)") }
        }
        let base = context.baseURL
        let id = orderID.uuidString.lowercased()
        // Same order, attempt, package, price and styles → same key: a retried request reuses the session.
        let key = SHA256.hash(data: Data("\(id)|\(attempt)|\(package.code)|\(price)|\(package.currency)|\(plan.deliverable)|\(presets.map(\.rawValue).joined(separator: ","))".utf8))
            .map { String(format: "%02x", $0) }.joined()
        let session = try await payments.createCheckout(CheckoutRequest(
            orderID: orderID, amountMinor: price, currency: package.currency,
            description: "Headshot Studio \(package.name): \(plan.deliverable) headshots in \(presets.count) style\(presets.count == 1 ? "" : "s") (\(presets.map(\.name).joined(separator: ", ")))",
            customerEmail: user.email,
            successURL: SiteURL.order(.value(orderID), .payment).absolute(on: base),
            cancelURL: SiteURL.order(.value(orderID), .checkout).absolute(on: base), idempotencyKey: key
        ))

        // 3. Record what the session sells and make it the order's, unless the order moved meanwhile.
        let adopted = try await locked(orderID) { tx -> Bool in
            guard let order = try await Order.find(orderID, on: tx), order.status == .awaitingPayment, order.checkoutReference == nil else {
                return false
            }
            try await CheckoutSessionRecord(order: order, gateway: gateway, reference: session.id, at: now).create(on: tx)
            order.checkoutReference = session.id
            try await order.save(on: tx)
            return true
        }
        guard adopted else {
            try? await payments.expireCheckout(session.id)
            throw Problem.notEditable
        }
        return Started(session: session, amountMinor: price, currency: package.currency, headshotCount: plan.deliverable)
    }

    /// The package's price, or its share for `delivering` of its headshots (rounded to the minor unit).
    package static func price(_ package: Package, delivering count: Int) -> Int {
        guard count < package.headshotCount, package.headshotCount > 0 else { return package.priceMinor }
        return (package.priceMinor * count + package.headshotCount / 2) / package.headshotCount
    }

    /// Runs `body` in a transaction holding the order's lock (serialised with fulfilment on SQLite).
    private func locked<T: Sendable>(_ orderID: UUID, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await OrderLock.run(orderID, on: db, mutex: context.sqliteWriteLock, body)
    }
}
