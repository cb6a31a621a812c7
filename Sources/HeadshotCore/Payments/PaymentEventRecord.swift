import FluentKit
import Foundation

/// A provider event that reached fulfilment, kept so the same event is never acted on twice.
package final class PaymentEventRecord: Model, @unchecked Sendable {
    package static let schema = "payment_events"

    @ID package var id: UUID?
    @Field(key: "gateway") package var gateway: String
    @Field(key: "event_id") package var eventID: String
    @Field(key: "type") package var type: String
    @OptionalField(key: "order_id") package var orderID: UUID?
    /// fulfilled, ignored, already-paid, failed…: what processing it did.
    @Field(key: "outcome") package var outcome: String
    @Field(key: "received_at") package var receivedAt: Date

    package init() {}

    package init(gateway: String, eventID: String, type: String, orderID: UUID?, outcome: String, at date: Date) {
        self.gateway = gateway
        self.eventID = eventID
        self.type = type
        self.orderID = orderID
        self.outcome = outcome
        self.receivedAt = date
    }
}
