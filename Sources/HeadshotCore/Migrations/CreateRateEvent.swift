import Foundation
import FluentKit

package struct CreateRateEvent: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(RateEvent.schema)
            .id()
            .field("bucket", .string, .required)
            .field("subject", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("idx_rate_events_bucket_subject_time", on: RateEvent.schema, "bucket", "subject", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(RateEvent.schema).delete()
    }
}
