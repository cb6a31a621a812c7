import Foundation
import FluentKit

/// What the remote generator records: how each headshot was made (null for the studio renderer,
/// which made every earlier one), the price per second a prediction was bought at (its cost is
/// that times its billed seconds), and why an order's remote styles fell back to the studio renderer.
package struct AddRemoteGeneration: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).field("origin", .string).update()
        try await database.schema(RemotePrediction.schema).field("price_per_second", .double).update()
        try await database.schema(Order.schema).field("studio_fallback", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).deleteField("studio_fallback").update()
        try await database.schema(RemotePrediction.schema).deleteField("price_per_second").update()
        try await database.schema(GeneratedAsset.schema).deleteField("origin").update()
    }
}
