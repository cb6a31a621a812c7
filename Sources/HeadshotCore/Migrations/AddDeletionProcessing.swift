import Foundation
import FluentKit

/// What processing a deletion request needs: its receipt's public id and the hash of the secret that
/// opens it, where the confirmation goes (forgotten once sent), the inventory taken once before
/// anything is deleted (so a resumed run counts each item once), when the data keys were destroyed,
/// and the lease a worker holds while it works on it (so a killed worker's request is taken over).
package struct AddDeletionProcessing: AsyncMigration {
    package static let columns: [(String, DatabaseSchema.DataType)] = [
        ("receipt_id", .uuid), ("receipt_secret_hash", .string), ("notify_email", .string), ("inventory", .string),
        ("key_destroyed_at", .datetime), ("attempts", .int), ("run_at", .datetime), ("lease_owner", .string),
        ("lease_token", .uuid), ("lease_expires_at", .datetime), ("last_error", .string),
    ]

    package func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema(DeletionRequest.schema).field(.string(name), type).update()
        }
        try await database.createIndex("uq_deletion_requests_receipt", on: DeletionRequest.schema, "receipt_id", unique: true)
        try await database.createIndex("idx_deletion_requests_claim", on: DeletionRequest.schema, "status", "run_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_deletion_requests_claim")
        try await database.dropIndex("uq_deletion_requests_receipt")
        for (name, _) in Self.columns.reversed() {
            try await database.schema(DeletionRequest.schema).deleteField(.string(name)).update()
        }
    }
}
