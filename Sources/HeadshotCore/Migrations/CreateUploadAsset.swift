import Foundation
import FluentKit

package struct CreateUploadAsset: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(UploadAsset.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .statusColumns()
            .field("blob_key", .string, .required)
            .field("original_filename", .string, .required)
            .field("byte_size", .int, .required)
            .field("width", .int)
            .field("height", .int)
            .field("quality_score", .int)
            .field("findings", .string)
            .field("expires_at", .datetime)
            .timestamps()
            .create()
        try await database.createIndex("idx_upload_assets_order", on: UploadAsset.schema, "order_id", "status")
        try await database.createIndex("idx_upload_assets_expires", on: UploadAsset.schema, "expires_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(UploadAsset.schema).delete()
    }
}
