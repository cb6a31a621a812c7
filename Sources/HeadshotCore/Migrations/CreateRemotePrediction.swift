import Foundation
import FluentKit

/// The remote provider's predictions per job.
package struct CreateRemotePrediction: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(RemotePrediction.schema)
            .id()
            .field("job_id", .uuid, .required, .references(GenerationJob.schema, "id", onDelete: .cascade))
            .field("order_id", .uuid, .required)
            .field("provider_id", .string, .required)
            .field("preset", .string, .required)
            .field("indices", .string, .required)
            .field("status", .string, .required)
            .field("outputs", .string)
            .field("error", .string)
            .field("predict_time", .double)
            .field("get_url", .string)
            .field("cancel_url", .string)
            .field("completed_at", .datetime)
            .timestamps()
            .unique(on: "provider_id")
            .create()
        try await database.createIndex("idx_remote_predictions_job", on: RemotePrediction.schema, "job_id")
        try await database.createIndex("idx_remote_predictions_order", on: RemotePrediction.schema, "order_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(RemotePrediction.schema).delete()
    }
}
