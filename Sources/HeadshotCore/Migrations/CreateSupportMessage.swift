import Foundation
import FluentKit

/// A ticket's conversation: replies from support and the customer after the opening message.
package struct CreateSupportMessage: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(SupportMessage.schema)
            .id()
            .field("ticket_id", .uuid, .required, .references(SupportTicket.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("from_staff", .bool, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.createIndex("idx_support_messages_ticket", on: SupportMessage.schema, "ticket_id", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(SupportMessage.schema).delete()
    }
}
