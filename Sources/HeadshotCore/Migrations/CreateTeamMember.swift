import Foundation
import FluentKit

/// Who is in a team, with what role, and the headshot each shares with it.
package struct CreateTeamMember: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(TeamMember.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("team_headshot_id", .uuid)
            .field("joined_at", .datetime, .required)
            .unique(on: "team_id", "user_id")
            .create()
        try await database.createIndex("idx_team_members_user", on: TeamMember.schema, "user_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(TeamMember.schema).delete()
    }
}
