import Fluent

/// Headshots the customer marked as favourites (for the gallery filter and the favourites ZIP).
struct AddGeneratedAssetFavourite: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema)
            .field("favourite", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GeneratedAsset.schema).deleteField("favourite").update()
    }
}
