import Foundation
import FluentKit

package struct CreateDataExport: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(DataExport.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .statusColumns()
            .field("blob_key", .string)
            .field("byte_size", .int)
            .field("ready_at", .datetime)
            .field("expires_at", .datetime)
            .field("attempts", .int)
            .field("run_at", .datetime)
            .field("lease_owner", .string)
            .field("lease_token", .uuid)
            .field("lease_expires_at", .datetime)
            .field("last_error", .string)
            .timestamps()
            .create()
        try await database.createIndex("idx_data_exports_user", on: DataExport.schema, "user_id")
        try await database.createIndex("idx_data_exports_claim", on: DataExport.schema, "status", "run_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DataExport.schema).delete()
    }
}
