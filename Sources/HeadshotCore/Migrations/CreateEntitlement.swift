import Foundation
import FluentKit

package struct CreateEntitlement: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Entitlement.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("package_id", .uuid, .required, .references(Package.schema, "id", onDelete: .restrict))
            .field("headshot_count", .int, .required)
            .field("rerun_credits", .int, .required)
            .field("payment_reference", .string)
            .statusColumns()
            .timestamps()
            // One entitlement per order, enforced by the database so a replayed payment cannot double it.
            .unique(on: "order_id", name: "uq_entitlements_order")
            .create()
        try await database.createIndex("idx_entitlements_user", on: Entitlement.schema, "user_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Entitlement.schema).delete()
    }
}
