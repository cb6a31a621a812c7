import Fluent
import Foundation

public final class RefundRequest: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "refund_requests"
    public static let auditSubject = "refund"

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
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
    }
}
