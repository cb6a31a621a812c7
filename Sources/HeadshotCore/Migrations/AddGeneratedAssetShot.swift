import Foundation
import FluentKit

/// The planned shot each headshot was drawn as (photo, framing, light, backdrop seed): a retry
/// knows which looks an earlier attempt already delivered, and the gallery can name each picture.
package struct AddGeneratedAssetShot: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).field("shot", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).deleteField("shot").update()
    }
}
