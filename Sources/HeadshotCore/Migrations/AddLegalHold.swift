import Foundation
import FluentKit

/// Legal holds on an account or an order: while one is in place, retention (and, once built,
/// deletion) keeps the data. The reason is recorded for staff; the customer is told only that a hold exists.
package struct AddLegalHold: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        for schema in [User.schema, Order.schema] {
            try await database.schema(schema).field("legal_hold_reason", .string).update()
            try await database.schema(schema).field("legal_hold_at", .datetime).update()
        }
    }

    package func revert(on database: any Database) async throws {
        for schema in [User.schema, Order.schema] {
            try await database.schema(schema).deleteField("legal_hold_at").update()
            try await database.schema(schema).deleteField("legal_hold_reason").update()
        }
    }
}
