import FluentKit
import Foundation
import SQLKit

/// Checkout sessions with what each sells; orders already awaiting payment get a record of their
/// current session, so a payment that arrives for it after the upgrade is still recognised.
package struct CreateCheckoutSessionRecord: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(CheckoutSessionRecord.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("gateway", .string, .required)
            .field("reference", .string, .required)
            .field("package_id", .uuid, .required)
            .field("amount_minor", .int, .required)
            .field("currency", .string, .required)
            .field("headshot_count", .int, .required)
            .field("presets", .string)
            .field("created_at", .datetime, .required)
            .field("superseded_at", .datetime)
            .unique(on: "gateway", "reference")
            .create()
        try await database.createIndex("idx_checkout_sessions_order", on: CheckoutSessionRecord.schema, "order_id")
        // In SQL, not through the model, so it keeps working as the model gains columns.
        let sql = try database.sql()
        for row in try await sql.raw("""
            SELECT id, payment_gateway, checkout_reference, package_id, amount_minor, currency, headshot_count, presets, consented_at
            FROM orders WHERE checkout_reference IS NOT NULL AND payment_gateway IS NOT NULL AND package_id IS NOT NULL
                AND amount_minor IS NOT NULL AND currency IS NOT NULL
            """).all() {
            try await sql.raw("""
                INSERT INTO checkout_sessions (id, order_id, gateway, reference, package_id, amount_minor, currency, headshot_count, presets, created_at)
                VALUES (\(bind: UUID()), \(bind: try row.decode(column: "id", as: UUID.self)), \(bind: try row.decode(column: "payment_gateway", as: String.self)),
                        \(bind: try row.decode(column: "checkout_reference", as: String.self)), \(bind: try row.decode(column: "package_id", as: UUID.self)),
                        \(bind: try row.decode(column: "amount_minor", as: Int.self)), \(bind: try row.decode(column: "currency", as: String.self)),
                        \(bind: try row.decode(column: "headshot_count", as: Int?.self) ?? 0), \(bind: try row.decode(column: "presets", as: String?.self)),
                        \(bind: try row.decode(column: "consented_at", as: Date?.self) ?? Date()))
                """).run()
        }
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(CheckoutSessionRecord.schema).delete()
    }
}
