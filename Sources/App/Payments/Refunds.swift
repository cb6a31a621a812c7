import Fluent
import Foundation
import Vapor

/// Refund requests: requested → approved → refunded | rejected. Approval calls the gateway (with an
/// idempotency key per request, so a retried approval never refunds twice); once the money is
/// back, the entitlement is revoked, any queued or running job is cancelled and the order is marked
/// refunded, in one transaction. The support screens come later; this is the engine and its API.
struct Refunds {
    enum Problem: DomainError {
        case notRefundable(OrderStatus)
        case alreadyOpen
        case noPayment

        var kind: FailureKind { .conflict }
        var code: String {
            switch self {
            case .notRefundable: "not_refundable"
            case .alreadyOpen: "refund_already_requested"
            case .noPayment: "no_payment"
            }
        }
        var reason: String {
            switch self {
            case .notRefundable(let status): "An order that is \(status.rawValue.replacingOccurrences(of: "_", with: " ")) cannot be refunded now."
            case .alreadyOpen: "A refund for this order has already been requested."
            case .noPayment: "This order has no payment to refund."
            }
        }
    }

    /// States in which money has been taken and the work is not mid-flight.
    static let refundable: Set<OrderStatus> = [.paid, .queued, .completed, .failed]

    let db: any Database
    let gateway: any PaymentGateway
    let actor: AuditActor
    let now: Date

    func request(for order: Order, by user: User, reason: String) async throws -> RefundRequest {
        guard Self.refundable.contains(order.status) else { throw Problem.notRefundable(order.status) }
        guard order.paymentReference != nil, let amount = order.amountMinor, let currency = order.currency else { throw Problem.noPayment }
        let open = try await RefundRequest.query(on: db).filter(\.$order.$id == order.requireID())
            .filter(\.$status ~~ [.requested, .approved]).count()
        guard open == 0 else { throw Problem.alreadyOpen }
        let refund = RefundRequest(orderID: try order.requireID(), requestedByID: try user.requireID(), amountMinor: amount,
                                   currency: currency, reason: String(reason.prefix(1000)))
        try await refund.create(on: db)
        try await Audit.record("refund.requested", subjectType: RefundRequest.auditSubject, subjectID: refund.id, by: actor,
                               detail: "order \(order.id?.uuidString ?? "")", at: now, on: db)
        return refund
    }

    func reject(_ refund: RefundRequest, reason: String) async throws {
        try await Audit.transition(refund, to: .rejected, by: actor, detail: reason, at: now, on: db)
    }

    /// Approves (if still requested) and pays the refund back. A gateway failure leaves it approved,
    /// so approving again retries with the same idempotency key.
    func approve(_ refund: RefundRequest) async throws {
        if refund.status == .requested {
            try await Audit.transition(refund, to: .approved, by: actor, at: now, on: db)
        }
        guard refund.status == .approved else {
            throw IllegalTransition(subjectType: RefundRequest.auditSubject, from: refund.status.rawValue, to: RefundStatus.refunded.rawValue)
        }
        guard let order = try await Order.find(refund.$order.id, on: db), let payment = order.paymentReference else { throw Problem.noPayment }
        guard Self.refundable.contains(order.status) else { throw Problem.notRefundable(order.status) }
        let gatewayRefund = try await gateway.refund(RefundCall(
            paymentReference: payment, amountMinor: refund.amountMinor, idempotencyKey: "refund-\(try refund.requireID().uuidString)"
        ))
        try await db.transaction { tx in
            refund.gatewayRefundID = gatewayRefund
            try await refund.save(on: tx)
            try await Audit.transition(refund, to: .refunded, by: actor, detail: gatewayRefund, at: now, on: tx)
            for entitlement in try await Entitlement.query(on: tx).filter(\.$order.$id == order.requireID()).filter(\.$status != .revoked).all() {
                try await Audit.transition(entitlement, to: .revoked, by: actor, detail: "refunded", at: now, on: tx)
            }
            for job in try await GenerationJob.query(on: tx).filter(\.$order.$id == order.requireID()).filter(\.$status ~~ [.queued, .running]).all() {
                try await Audit.transition(job, to: .cancelled, by: actor, detail: "order refunded", at: now, on: tx)
            }
            try await Audit.transition(order, to: .refunded, by: actor, detail: gatewayRefund, at: now, on: tx)
        }
    }
}
