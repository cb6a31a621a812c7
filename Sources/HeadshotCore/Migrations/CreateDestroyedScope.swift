import Foundation
import FluentKit

/// `destroyed_scopes`: an order's storage scope once its key was destroyed (a deletion, a discarded
/// draft). The store refuses any later write into it (`GuardedBlobStore`), so a worker that was still
/// rendering cannot bring the scope back under a fresh key.
package struct CreateDestroyedScope: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GuardedBlobStore.tombstones)
            .field("scope", .string, .identifier(auto: false))
            .field("destroyed_at", .datetime, .required)
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GuardedBlobStore.tombstones).delete()
    }
}
