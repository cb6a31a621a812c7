import Fluent

/// The planned shot each headshot was drawn as (photo, framing, light, backdrop seed): a retry
/// knows which looks an earlier attempt already delivered, and the gallery can name each picture.
struct AddGeneratedAssetShot: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).field("shot", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).deleteField("shot").update()
    }
}
