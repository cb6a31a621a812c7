import Foundation
import FluentKit

package struct CreateGeneratedAsset: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("job_id", .uuid, .references(GenerationJob.schema, "id", onDelete: .setNull))
            .field("preset", .string, .required)
            .field("blob_key", .string, .required)
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("identity_distance", .double)
            .statusColumns()
            .field("expires_at", .datetime)
            .timestamps()
            .create()
        try await database.createIndex("idx_generated_assets_order", on: GeneratedAsset.schema, "order_id", "preset")
        try await database.createIndex("idx_generated_assets_expires", on: GeneratedAsset.schema, "expires_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).delete()
    }
}
