import Fluent
import Foundation
import Vapor

/// Turns verified provider events into paid orders, exactly once. For a paid checkout, in one
/// transaction: the event is recorded under its unique id, the order moves awaiting_payment → paid →
/// queued, and its Entitlement and GenerationJob are created. A second delivery of the event finds
/// it recorded; a second event for the same order finds the order already paid. Money that does not
/// match the order, or an order we do not know, changes nothing and is audited.
struct Fulfilment {
    enum Outcome: String {
        case fulfilled, duplicate, alreadyPaid = "already-paid", pending, failed, ignored, refunded
    }

    enum Refusal: DomainError {
        case unknownOrder
        case mismatch(String)

        var kind: FailureKind {
            switch self {
            case .unknownOrder: .notFound
            case .mismatch: .invalid
            }
        }
        var code: String {
            switch self {
            case .unknownOrder: "unknown_order"
            case .mismatch: "payment_mismatch"
            }
        }
        var reason: String {
            switch self {
            case .unknownOrder: "No order matches this event."
            case .mismatch(let detail): "The event does not match its order: \(detail)."
            }
        }
    }

    /// Generation jobs are retried this many times before the order fails (see the queue).
    static let jobAttempts = 3

    let db: any Database
    let gateway: String
    let now: Date

    /// Processes the event, retrying transient database failures (a concurrent delivery holding the
    /// write lock, a lost race for the order's status): every step is idempotent, and a retry that
    /// finds its event recorded reports a duplicate.
    func handle(_ event: PaymentEvent) async throws -> Outcome {
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

    private func handleOnce(_ event: PaymentEvent) async throws -> Outcome {
        if try await alreadyRecorded(event) { return .duplicate }
        switch event.kind {
        case .checkoutCompleted(paid: true), .asyncPaymentSucceeded:
            return try await fulfilOnce(event)
        case .checkoutCompleted(paid: false):
            return try await record(event, outcome: .pending)
        case .asyncPaymentFailed:
            return try await record(event, outcome: .failed)
        case .refunded:
            return try await record(event, outcome: .refunded)
        case .ignored:
            return try await record(event, outcome: .ignored)
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

    private func fulfilOnce(_ event: PaymentEvent) async throws -> Outcome {
        guard let orderID = event.orderID, let order = try await Order.find(orderID, on: db) else { throw Refusal.unknownOrder }
        guard order.paymentGateway == gateway, let reference = order.checkoutReference, reference == event.checkoutID else {
            throw Refusal.mismatch("checkout session \(event.checkoutID ?? "none") is not this order's")
        }
        guard let amount = order.amountMinor, amount == event.amountMinor,
              let currency = order.currency, currency.uppercased() == event.currency?.uppercased() else {
            throw Refusal.mismatch("paid \(event.amountMinor.map(String.init) ?? "?") \(event.currency ?? "?"), order costs \(order.amountMinor.map(String.init) ?? "?") \(order.currency ?? "?")")
        }
        return try await db.transaction { tx in
            guard let order = try await Order.find(orderID, on: tx) else { throw Refusal.unknownOrder }
            switch order.status {
            case .awaitingPayment:
                break
            case .paid, .queued, .processing, .completed:
                try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: orderID,
                                             outcome: Outcome.alreadyPaid.rawValue, at: now).create(on: tx)
                return .alreadyPaid
            case .draft, .failed, .refunded, .deleted:
                throw Refusal.mismatch("the order is \(order.status.rawValue)")
            }
            try await PaymentEventRecord(gateway: gateway, eventID: event.id, type: event.kind.label, orderID: orderID,
                                         outcome: Outcome.fulfilled.rawValue, at: now).create(on: tx)
            guard let packageID = order.$package.id, let package = try await Package.find(packageID, on: tx) else {
                throw Refusal.mismatch("the order has no package")
            }
            let actor = AuditActor(kind: .webhook)
            order.paymentReference = event.paymentReference
            try await order.save(on: tx)
            try await Audit.transition(order, to: .paid, by: actor, detail: "\(gateway) \(event.id)", at: now, on: tx)
            let entitlement = Entitlement(orderID: orderID, userID: order.$user.id, packageID: packageID,
                                          headshotCount: order.headshotCount ?? package.headshotCount,
                                          rerunCredits: package.rerunCredits, paymentReference: event.paymentReference)
            try await entitlement.create(on: tx)
            let job = GenerationJob(orderID: orderID, kind: "generate", priority: package.queuePriority, runAt: now,
                                    maxAttempts: Self.jobAttempts, total: order.headshotCount ?? package.headshotCount)
            job.payload = order.presets
            try await job.create(on: tx)
            try await Audit.transition(order, to: .queued, by: actor, at: now, on: tx)
            return .fulfilled
        }
    }
}

extension PaymentEvent.Kind {
    var label: String {
        switch self {
        case .checkoutCompleted: "checkout.session.completed"
        case .asyncPaymentSucceeded: "checkout.session.async_payment_succeeded"
        case .asyncPaymentFailed: "checkout.session.async_payment_failed"
        case .refunded: "charge.refunded"
        case .ignored(let type): type
        }
    }
}
