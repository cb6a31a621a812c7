import Foundation
import FluentKit

/// Teams: a name and an owner, and the styles its members may pick.
package struct CreateTeam: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema)
            .id()
            .field("name", .string, .required)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("allowed_presets", .string)
            .timestamps()
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).delete()
    }
}
