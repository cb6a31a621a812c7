import Foundation
import FluentKit
import SQLKit

/// Numbers each headshot within its job (0..<total) and lets the database refuse a second copy of
/// the same number, so a job retried after a crash resumes and can never deliver a headshot twice.
package struct AddGeneratedAssetSequence: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema)
            .field("sequence", .int, .required, .sql(.default(0)))
            .update()
        try await database.createIndex("uq_generated_assets_job_sequence", on: GeneratedAsset.schema, "job_id", "sequence", unique: true)
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("uq_generated_assets_job_sequence")
        try await database.schema(GeneratedAsset.schema).deleteField("sequence").update()
    }
}
