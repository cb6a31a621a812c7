import Foundation
import FluentKit

package struct CreateDownloadEvent: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(DownloadEvent.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("asset_id", .uuid)
            .field("kind", .string, .required)
            .field("variant", .string, .required)
            .field("bytes", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("idx_download_events_order", on: DownloadEvent.schema, "order_id", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DownloadEvent.schema).delete()
    }
}
