import Foundation
import FluentKit

package struct CreatePackage: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Package.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("headshot_count", .int, .required)
            .field("max_presets", .int, .required)
            .field("queue_priority", .int, .required)
            .field("rerun_credits", .int, .required)
            .field("price_minor", .int, .required)
            .field("currency", .string, .required)
            .field("active", .bool, .required)
            .field("sort_order", .int, .required)
            .timestamps()
            .unique(on: "code", name: "uq_packages_code")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Package.schema).delete()
    }
}
