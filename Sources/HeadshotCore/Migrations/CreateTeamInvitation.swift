import Foundation
import FluentKit

/// Personal invitations and open links, stored by their token's digest.
package struct CreateTeamInvitation: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(TeamInvitation.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("email", .string)
            .field("token_hash", .string, .required)
            .field("created_by_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("max_uses", .int)
            .field("allowed_domain", .string)
            .field("uses", .int, .required)
            .field("revoked_at", .datetime)
            .field("accepted_at", .datetime)
            .field("accepted_by_id", .uuid)
            .field("last_sent_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.createIndex("idx_team_invitations_team", on: TeamInvitation.schema, "team_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(TeamInvitation.schema).delete()
    }
}
