import Fluent
import Foundation

/// A provider event that reached fulfilment, kept so the same event is never acted on twice.
public final class PaymentEventRecord: Model, @unchecked Sendable {
    public static let schema = "payment_events"

    @ID public var id: UUID?
    @Field(key: "gateway") public var gateway: String
    @Field(key: "event_id") public var eventID: String
    @Field(key: "type") public var type: String
    @OptionalField(key: "order_id") public var orderID: UUID?
    /// fulfilled, ignored, already-paid, failed…: what processing it did.
    @Field(key: "outcome") public var outcome: String
    @Field(key: "received_at") public var receivedAt: Date

    public init() {}

    public init(gateway: String, eventID: String, type: String, orderID: UUID?, outcome: String, at date: Date) {
        self.gateway = gateway
        self.eventID = eventID
        self.type = type
        self.orderID = orderID
        self.outcome = outcome
        self.receivedAt = date
    }
}
