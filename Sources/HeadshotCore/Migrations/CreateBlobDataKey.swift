import Foundation
import FluentKit

package struct CreateBlobDataKey: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(BlobDataKey.schema)
            .id()
            .field("scope", .string, .required)
            .field("wrapped", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "scope")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(BlobDataKey.schema).delete()
    }
}
