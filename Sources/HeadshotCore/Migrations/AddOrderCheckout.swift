import Foundation
import FluentKit

/// What the customer chose and agreed to before paying, and the provider's references.
package struct AddOrderCheckout: AsyncMigration {
    package static let columns: [(String, DatabaseSchema.DataType)] = [
        ("presets", .string), ("consent_version", .string), ("consented_at", .datetime),
        ("payment_gateway", .string), ("checkout_reference", .string), ("payment_reference", .string),
    ]

    package func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        for (name, type) in Self.columns {
            try await database.schema(Order.schema).field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: [])).update()
        }
        try await database.createIndex("idx_orders_checkout_reference", on: Order.schema, "checkout_reference")
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_orders_checkout_reference")
        for (name, _) in Self.columns.reversed() {
            try await database.schema(Order.schema).deleteField(.key(.init(stringLiteral: name))).update()
        }
    }
}
