import Foundation
import FluentKit

/// API tokens learn the team a team token is scoped to.
package struct AddAPITokenTeam: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema).field("team_id", .uuid).update()
        try await database.createIndex("idx_api_tokens_team", on: APIToken.schema, "team_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_api_tokens_team")
        try await database.schema(APIToken.schema).deleteField("team_id").update()
    }
}
