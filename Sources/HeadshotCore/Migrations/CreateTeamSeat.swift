import Foundation
import FluentKit

/// A team's seats, one row each, created once per purchase (unique purchase and number).
package struct CreateTeamSeat: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(TeamSeat.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("purchase_id", .uuid, .required)
            .field("number", .int, .required)
            .field("package_id", .uuid, .required)
            .field("state", .string, .required)
            .field("invitation_id", .uuid)
            .field("user_id", .uuid)
            .field("order_id", .uuid)
            .field("changed_at", .datetime, .required)
            // A purchase's seats exist once each, however often its payment is delivered.
            .unique(on: "purchase_id", "number")
            .create()
        try await database.createIndex("idx_team_seats_team_state", on: TeamSeat.schema, "team_id", "state")
        // One seat per member order.
        try await database.createIndex("idx_team_seats_order", on: TeamSeat.schema, "order_id", unique: true)
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(TeamSeat.schema).delete()
    }
}
