import Foundation
import FluentKit

package struct CreateShareLink: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(ShareLink.schema)
            .id()
            .field("asset_id", .uuid, .required, .references(GeneratedAsset.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("idx_share_links_asset", on: ShareLink.schema, "asset_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(ShareLink.schema).delete()
    }
}
