import Foundation
import FluentKit

/// Headshots the customer marked as favourites (for the gallery filter and the favourites ZIP).
package struct AddGeneratedAssetFavourite: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema)
            .field("favourite", .bool, .required, .sql(.default(false)))
            .update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).deleteField("favourite").update()
    }
}
