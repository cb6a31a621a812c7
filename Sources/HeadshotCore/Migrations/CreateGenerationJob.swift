import Foundation
import FluentKit

package struct CreateGenerationJob: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GenerationJob.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("payload", .string)
            .statusColumns()
            .field("priority", .int, .required)
            .field("run_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("lease_owner", .string)
            .field("lease_token", .uuid)
            .field("lease_expires_at", .datetime)
            .field("last_error", .string)
            .field("progress_done", .int, .required)
            .field("progress_total", .int, .required)
            .timestamps()
            .create()
        // The claim query: the best queued job that is due.
        try await database.createIndex("idx_generation_jobs_claim", on: GenerationJob.schema, "status", "priority", "run_at")
        try await database.createIndex("idx_generation_jobs_order", on: GenerationJob.schema, "order_id")
        try await database.createIndex("idx_generation_jobs_lease", on: GenerationJob.schema, "status", "lease_expires_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GenerationJob.schema).delete()
    }
}
