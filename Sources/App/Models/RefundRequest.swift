import Fluent
import Foundation

public final class RefundRequest: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "refund_requests"
    public static let auditSubject = "refund"

    public enum Kind: String, Codable, Sendable {
        /// The order's payment: a refund takes away what it paid for.
        case order
        /// A payment the order did not need (a superseded checkout paid after another): refunded
        /// automatically, the order keeps what its own payment bought.
        case strayPayment = "stray_payment"
    }

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
    @Field(key: "kind") public var kind: Kind
    /// The payment a stray-payment refund returns (an order refund returns the order's own).
    @OptionalField(key: "payment_reference") public var paymentReference: String?
    @Parent(key: "requested_by_id") public var requestedBy: User
    @Field(key: "amount_minor") public var amountMinor: Int
    @Field(key: "currency") public var currency: String
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "gateway_refund_id") public var gatewayRefundID: String?
    @Field(key: "status") public var status: RefundStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, orderID: UUID, requestedByID: UUID, amountMinor: Int, currency: String, reason: String) {
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
