import Foundation
import FluentKit

package struct CreateSupportTicket: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(SupportTicket.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("order_id", .uuid, .references(Order.schema, "id", onDelete: .setNull))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .statusColumns()
            .timestamps()
            .create()
        try await database.createIndex("idx_support_tickets_user", on: SupportTicket.schema, "user_id")
        try await database.createIndex("idx_support_tickets_status", on: SupportTicket.schema, "status", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(SupportTicket.schema).delete()
    }
}
