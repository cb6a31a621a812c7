import Foundation
import FluentKit
import SQLKit

/// Refunds of two kinds: a whole order's (revokes what it paid for), or a stray payment's (a second
/// payment for an order already paid, refunded automatically). At most one open refund per order.
/// The sandbox remembers its refunds by idempotency key, as Stripe does.
package struct AddRefundKind: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(RefundRequest.schema).field("kind", .string, .required, .sql(.default("order"))).update()
        try await database.schema(RefundRequest.schema).field("payment_reference", .string).update()
        try await database.schema(SandboxCheckout.schema).field("refund_keys", .string).update()
        let sql = try database.sql()
        // Partial unique index (PostgreSQL and SQLite): two refund requests racing, only one is created.
        try await sql.raw("""
            CREATE UNIQUE INDEX idx_refund_requests_one_open ON refund_requests (order_id)
            WHERE kind = 'order' AND status IN ('requested', 'approved')
            """).run()
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_refund_requests_one_open")
        try await database.schema(SandboxCheckout.schema).deleteField("refund_keys").update()
        try await database.schema(RefundRequest.schema).deleteField("payment_reference").update()
        try await database.schema(RefundRequest.schema).deleteField("kind").update()
    }
}
