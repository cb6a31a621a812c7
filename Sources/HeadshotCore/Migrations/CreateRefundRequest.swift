import Foundation
import FluentKit

package struct CreateRefundRequest: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(RefundRequest.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("requested_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("amount_minor", .int, .required)
            .field("currency", .string, .required)
            .field("reason", .string, .required)
            .field("gateway_refund_id", .string)
            .statusColumns()
            .timestamps()
            .create()
        try await database.createIndex("idx_refund_requests_order", on: RefundRequest.schema, "order_id")
        try await database.createIndex("idx_refund_requests_status", on: RefundRequest.schema, "status")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(RefundRequest.schema).delete()
    }
}
