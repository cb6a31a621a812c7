import BlobStorage
import FluentKit
import Foundation

/// The data keys of object storage, in the database (`blob_data_keys`): shared by every process of
/// a scaled-out deployment, and destroyed by deleting the row.
package struct DatabaseKeyRing: DataKeyRing {
    package let database: DatabaseProvider

    package init(database: DatabaseProvider) {
        self.database = database
    }

    package func wrappedKey(scope: String) async throws -> [UInt8]? {
        try await BlobDataKey.query(on: try database()).filter(\.$scope == scope).first().flatMap { Data(base64Encoded: $0.wrapped) }.map { [UInt8]($0) }
    }

    package func storeIfAbsent(scope: String, wrapped: [UInt8]) async throws -> [UInt8] {
        do {
            try await BlobDataKey(scope: scope, wrapped: wrapped, at: Date()).create(on: try database())
            return wrapped
        } catch {
            // Another process made the scope's key first (the unique index refused ours): everyone uses that one.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let stored = try await wrappedKey(scope: scope) else { throw error }
            return stored
        }
    }

    package func destroy(scope: String) async throws {
        try await BlobDataKey.query(on: try database()).filter(\.$scope == scope).delete()
    }
}
