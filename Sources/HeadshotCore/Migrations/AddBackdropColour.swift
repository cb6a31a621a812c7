import Foundation
import FluentKit

/// A team's brand colour for drawn backdrops, and the colour a member's order was submitted with.
package struct AddBackdropColour: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema).field("backdrop_colour", .string).update()
        try await database.schema(Order.schema).field("backdrop_colour", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).deleteField("backdrop_colour").update()
        try await database.schema(Team.schema).deleteField("backdrop_colour").update()
    }
}
