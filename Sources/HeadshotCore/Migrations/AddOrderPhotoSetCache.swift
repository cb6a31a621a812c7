import Foundation
import FluentKit

/// The set checks' result for an order's current photos, computed once per change of the set rather
/// than on every read of the upload page or the API.
package struct AddOrderPhotoSetCache: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Order.schema).field("photo_set_cache", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).deleteField("photo_set_cache").update()
    }
}
