import Foundation
import FluentKit

/// Every provider event we acted on, once: the unique (gateway, event_id) pair is what makes a
/// webhook delivered ten times fulfil an order once.
package struct CreatePaymentEvent: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(PaymentEventRecord.schema)
            .id()
            .field("gateway", .string, .required)
            .field("event_id", .string, .required)
            .field("type", .string, .required)
            .field("order_id", .uuid)
            .field("outcome", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "gateway", "event_id", name: "uq_payment_events_gateway_event")
            .create()
        try await database.createIndex("idx_payment_events_order", on: PaymentEventRecord.schema, "order_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(PaymentEventRecord.schema).delete()
    }
}
