import Foundation
import FluentKit

/// Headshots attached to a ticket by its customer (each once per ticket).
package struct CreateSupportAttachment: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(SupportAttachment.schema)
            .id()
            .field("ticket_id", .uuid, .required, .references(SupportTicket.schema, "id", onDelete: .cascade))
            .field("asset_id", .uuid, .required, .references(GeneratedAsset.schema, "id", onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "ticket_id", "asset_id")
            .create()
        try await database.createIndex("idx_support_attachments_asset", on: SupportAttachment.schema, "asset_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(SupportAttachment.schema).delete()
    }
}
