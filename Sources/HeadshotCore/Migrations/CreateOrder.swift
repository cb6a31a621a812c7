import Foundation
import FluentKit

package struct CreateOrder: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Order.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("package_id", .uuid, .references(Package.schema, "id", onDelete: .restrict))
            .statusColumns()
            .field("headshot_count", .int)
            .field("amount_minor", .int)
            .field("currency", .string)
            .timestamps()
            .create()
        try await database.createIndex("idx_orders_user_created", on: Order.schema, "user_id", "created_at")
        try await database.createIndex("idx_orders_status", on: Order.schema, "status", "status_changed_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).delete()
    }
}
