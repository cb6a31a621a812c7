import Foundation
import FluentKit

/// Orders learn their kind (a headshot order or a team's seat purchase), the team that pays for a member's order, and how many seats a purchase buys.
package struct AddOrderTeam: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Order.schema).field("kind", .string, .required, .sql(.default(Order.Kind.headshots.rawValue))).update()
        try await database.schema(Order.schema).field("team_id", .uuid).update()
        try await database.schema(Order.schema).field("seat_count", .int).update()
        try await database.createIndex("idx_orders_team", on: Order.schema, "team_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_orders_team")
        try await database.schema(Order.schema).deleteField("seat_count").update()
        try await database.schema(Order.schema).deleteField("team_id").update()
        try await database.schema(Order.schema).deleteField("kind").update()
    }
}
