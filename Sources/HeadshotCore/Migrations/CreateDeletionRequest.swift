import Foundation
import FluentKit

package struct CreateDeletionRequest: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(DeletionRequest.schema)
            .id()
            .field("user_id", .uuid, .required)
            .field("scope", .string, .required)
            .field("order_id", .uuid)
            .statusColumns()
            .field("receipt", .string)
            .field("completed_at", .datetime)
            .timestamps()
            .create()
        try await database.createIndex("idx_deletion_requests_user", on: DeletionRequest.schema, "user_id")
        try await database.createIndex("idx_deletion_requests_status", on: DeletionRequest.schema, "status")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DeletionRequest.schema).delete()
    }
}
