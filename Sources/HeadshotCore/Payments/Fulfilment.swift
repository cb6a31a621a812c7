import FluentKit
import Foundation

/// Turns verified provider events into paid orders, exactly once. For a paid checkout, in one
/// transaction: the event is recorded under its unique id, the order moves awaiting_payment → paid →
/// queued, and its Entitlement and GenerationJob are created. A second delivery of the event finds
/// it recorded; a second event for the same order finds the order already paid. Money that does not
/// match the order, or an order we do not know, changes nothing and is audited.
package struct Fulfilment {
    package enum Outcome: String {
        case fulfilled, duplicate, alreadyPaid = "already-paid", pending, failed, ignored, refunded
        /// A payment the order did not need (another session already paid it, or it is over): refunded.
        case strayPaymentRefunded = "stray-payment-refunded"
    }

    /// What the webhook handler still has to do at the gateway once the transaction has committed.
    package struct Result {
        package var outcome: Outcome
        /// A refund approved in the transaction, to be paid back now (maintenance retries it otherwise).
        package var refundToFinish: UUID?
        /// A session the order no longer sells (a superseded one was paid instead), to expire.
        package var expireCheckout: String?
    }

    package enum Refusal: DomainError {
        case unknownOrder
        case mismatch(String)

        package var kind: FailureKind {
            switch self {
            case .unknownOrder: .notFound
            case .mismatch: .invalid
            }
        }
        package var code: String {
            switch self {
            case .unknownOrder: "unknown_order"
            case .mismatch: "payment_mismatch"
            }
        }
        package var reason: String {
            switch self {
            case .unknownOrder: "No order matches this event."
            case .mismatch(let detail): "The event does not match its order: \(detail)."
            }
        }
    }

    /// Generation jobs are retried this many times before the order fails (see the queue).
    package static let jobAttempts = 3

    package let db: any Database
    package let gateway: String
    package let now: Date
    /// Where the receipt email goes out from (queued in the transaction that marks the order paid).
    package let mail: MailQueue
    package let baseURL: URL

    package init(db: any Database, gateway: String, now: Date, mail: MailQueue, baseURL: URL) {
        self.db = db
        self.gateway = gateway
        self.now = now
        self.mail = mail
        self.baseURL = baseURL
    }

    /// Processes the event, retrying transient database failures (a concurrent delivery holding the
    /// write lock, a lost race for the order's status): every step is idempotent, and a retry that
    /// finds its event recorded reports a duplicate.
    package func handle(_ event: PaymentEvent) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await handleOnce(event)
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                if attempt >= 6 { throw error }
                try await Task.sleep(for: .milliseconds(10 * attempt * attempt))
            }
        }
    }

    private func handleOnce(_ event: PaymentEvent) async throws -> Result {
        if try await alreadyRecorded(event) { return Result(outcome: .duplicate) }
        switch event.kind {
        case .checkoutCompleted(paid: true), .asyncPaymentSucceeded:
            return try await fulfilOnce(event)
        case .checkoutCompleted(paid: false):
            return Result(outcome: try await record(event, outcome: .pending))
        case .asyncPaymentFailed:
            return Result(outcome: try await record(event, outcome: .failed))
        case .refunded:
            return Result(outcome: try await record(event, outcome: .refunded))
        case .ignored:
            return Result(outcome: try await record(event, outcome: .ignored))
        }
    }

    private func alreadyRecorded(_ event: PaymentEvent) async throws -> Bool {
        try await PaymentEventRecord.query(on: db).filter(\.$gateway == gateway).filter(\.$eventID == event.id).first() != nil
    }

    private func record(_ event: PaymentEvent, outcome: Outcome) async throws -> Outcome {
        do {
            try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: event.orderID,
                                         outcome: outcome.rawValue, at: now).create(on: db)
            return outcome
        } catch {
            if (try? await alreadyRecorded(event)) == true { return .duplicate }
            throw error
        }
    }

    /// Every check and change under the order's lock, in one transaction: the session the payment names
    /// and the amount it sold are read where nothing can rewrite them (a checkout restarted at the same
    /// moment waits, then finds the order paid).
    private func fulfilOnce(_ event: PaymentEvent) async throws -> Result {
        guard let orderID = event.orderID else { throw Refusal.unknownOrder }
        return try await db.transaction { tx in
            try await OrderLock.lock(orderID, on: tx)
            guard let order = try await Order.find(orderID, on: tx) else { throw Refusal.unknownOrder }
            guard let reference = event.checkoutID,
                  let session = try await CheckoutSessionRecord.query(on: tx).filter(\.$gateway == gateway)
                      .filter(\.$reference == reference).first(),
                  session.orderID == orderID
            else { throw Refusal.mismatch("checkout session \(event.checkoutID ?? "none") is not this order's") }
            guard session.amountMinor == event.amountMinor, session.currency.uppercased() == event.currency?.uppercased() else {
                throw Refusal.mismatch("paid \(event.amountMinor.map(String.init) ?? "?") \(event.currency ?? "?"), the checkout sold \(session.amountMinor) \(session.currency)")
            }
            let actor = AuditActor(kind: .webhook)
            let current = order.checkoutReference == reference
            var expire: String?
            switch order.status {
            case .awaitingPayment where current:
                break
            case .awaitingPayment, .draft:
                // A superseded session was paid before the newer one: the order sells what that session sold.
                if order.status == .draft {
                    try await Audit.transition(order, to: .awaitingPayment, by: actor, detail: "paid through an earlier checkout", at: now, on: tx)
                }
                if let other = order.checkoutReference, other != reference {
                    try await CheckoutSessionRecord.query(on: tx).filter(\.$orderID == orderID).filter(\.$reference == other)
                        .set(\.$supersededAt, to: now).update()
                    expire = other
                }
                session.apply(to: order)
                try await order.save(on: tx)
                try await Audit.record("order.checkout_adopted", subjectType: Order.auditSubject, subjectID: orderID, by: actor,
                                       detail: "\(reference): \(session.amountMinor) \(session.currency)", at: now, on: tx)
            case _ where current:
                try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: orderID,
                                             outcome: Outcome.alreadyPaid.rawValue, at: now).create(on: tx)
                return Result(outcome: .alreadyPaid)
            default:
                // Another session already paid for the order (or it is over): this money bought nothing.
                let refund = RefundRequest(orderID: orderID, requestedByID: order.$user.id, amountMinor: session.amountMinor,
                                           currency: session.currency, reason: "Automatic: a second payment, for a checkout the order no longer used.")
                refund.kind = .strayPayment
                refund.paymentReference = event.paymentReference
                try await refund.create(on: tx)
                try await Audit.transition(refund, to: .approved, by: actor, detail: "automatic: \(gateway) \(event.id)", at: now, on: tx)
                try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: orderID,
                                             outcome: Outcome.strayPaymentRefunded.rawValue, at: now).create(on: tx)
                return Result(outcome: .strayPaymentRefunded, refundToFinish: refund.id)
            }
            try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: orderID,
                                         outcome: Outcome.fulfilled.rawValue, at: now).create(on: tx)
            guard let packageID = order.$package.id, let package = try await Package.find(packageID, on: tx) else {
                throw Refusal.mismatch("the order has no package")
            }
            order.paymentReference = event.paymentReference
            try await order.save(on: tx)
            try await Audit.transition(order, to: .paid, by: actor, detail: "\(gateway) \(event.id)", at: now, on: tx)
            if order.kind == .teamSeats {
                // A team's seats: created here, once (the event and the order's move to paid are unique).
                let receipt = try await TeamSeats.fulfil(order, package: package, by: actor, at: now, baseURL: baseURL, on: tx)
                try await mail.enqueue(receipt, on: tx)
                return Result(outcome: .fulfilled, expireCheckout: expire)
            }
            try await Self.queue(order, package: package, paymentReference: event.paymentReference, by: actor, at: now, on: tx)
            if let owner = try await User.find(order.$user.id, on: tx), let receipt = try await PaymentReceipt.of(order, on: tx) {
                try await mail.enqueue(receipt.mail(to: owner.email, baseURL: baseURL), on: tx)
            }
            return Result(outcome: .fulfilled, expireCheckout: expire)
        }
    }
}

extension Fulfilment {
    /// A paid order's entitlement and generation job, and its move to queued (inside the transaction
    /// that took its payment: a verified webhook, or a team seat).
    package static func queue(_ order: Order, package: Package, paymentReference: String?, by actor: AuditActor, at now: Date,
                      on tx: any Database) async throws {
        let orderID = try order.requireID(), packageID = try package.requireID()
        let entitlement = Entitlement(orderID: orderID, userID: order.$user.id, packageID: packageID,
                                      headshotCount: order.headshotCount ?? package.headshotCount,
                                      rerunCredits: order.rerunCredits ?? package.rerunCredits, paymentReference: paymentReference)
        try await entitlement.create(on: tx)
        let job = GenerationJob(orderID: orderID, kind: GenerationJob.Kind.generate, priority: package.queuePriority, runAt: now,
                                maxAttempts: jobAttempts, total: order.headshotCount ?? package.headshotCount)
        job.payload = order.presets
        try await job.create(on: tx)
        try await Audit.transition(order, to: .queued, by: actor, at: now, on: tx)
    }
}

extension PaymentEvent.Kind {
    package var label: String {
        switch self {
        case .checkoutCompleted: "checkout.session.completed"
        case .asyncPaymentSucceeded: "checkout.session.async_payment_succeeded"
        case .asyncPaymentFailed: "checkout.session.async_payment_failed"
        case .refunded: "charge.refunded"
        case .ignored(let type): type
        }
    }
}
