import FluentKit
import Foundation

package final class RefundRequest: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "refund_requests"
    package static let auditSubject = "refund"

    package enum Kind: String, Codable, Sendable {
        /// The order's payment: a refund takes away what it paid for.
        case order
        /// A payment the order did not need (a superseded checkout paid after another): refunded
        /// automatically, the order keeps what its own payment bought.
        case strayPayment = "stray_payment"
    }

    @ID package var id: UUID?
    @Parent(key: "order_id") package var order: Order
    @Field(key: "kind") package var kind: Kind
    /// The payment a stray-payment refund returns (an order refund returns the order's own).
    @OptionalField(key: "payment_reference") package var paymentReference: String?
    @Parent(key: "requested_by_id") package var requestedBy: User
    @Field(key: "amount_minor") package var amountMinor: Int
    @Field(key: "currency") package var currency: String
    @Field(key: "reason") package var reason: String
    @OptionalField(key: "gateway_refund_id") package var gatewayRefundID: String?
    @Field(key: "status") package var status: RefundStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, orderID: UUID, requestedByID: UUID, amountMinor: Int, currency: String, reason: String) {
        self.id = id
        self.$order.id = orderID
        self.$requestedBy.id = requestedByID
        self.amountMinor = amountMinor
        self.currency = currency
        self.reason = reason
        self.status = .requested
        self.kind = .order
    }
}

extension RefundRequest {
    /// The requests waiting for staff (requested or approved, not yet paid back), oldest first.
    package static func open(on db: any Database) async throws -> [RefundRequest] {
        try await RefundRequest.query(on: db).filter(\.$status ~~ [.requested, .approved]).sort(\.$createdAt).all()
    }

    /// Every request of an order, oldest first.
    package static func all(of order: UUID, on db: any Database) async throws -> [RefundRequest] {
        try await RefundRequest.query(on: db).filter(\.$order.$id == order).sort(\.$createdAt).all()
    }

    /// The order's latest request for the whole order (the order page shows its state).
    package static func latestForWholeOrder(_ order: UUID, on db: any Database) async throws -> RefundRequest? {
        try await RefundRequest.query(on: db).filter(\.$order.$id == order).filter(\.$kind == .order).sort(\.$createdAt, .descending).first()
    }
}
