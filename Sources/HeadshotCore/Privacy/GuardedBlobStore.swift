import BlobStorage
import FluentKit
import Foundation
import NIOCore
import SQLKit

/// The store every service uses: the configured one (local or S3) behind the two rules that must hold
/// on every path that destroys or writes an order's data, whoever calls — retention, the deletion
/// worker, draft cleanup, the owner's discard, a removed photo, a worker still rendering:
/// - **Legal holds.** Nothing of an order under a hold (its own, or its account's) is deleted and its
///   scope is not destroyed: the call is refused with `legal_hold`, before anything is touched.
/// - **Destroyed scopes stay destroyed.** Once an order's scope is destroyed it is tombstoned, and a
///   later write into it is refused, instead of creating a fresh data key for data that was deleted.
/// Scopes that are not an order's (data exports) pass through: an export's retry rewrites its own scope.
package final class GuardedBlobStore: BlobStore {
    package static let tombstones = "destroyed_scopes"

    package let base: any BlobStore
    package let database: DatabaseProvider

    package init(_ base: any BlobStore, database: DatabaseProvider) {
        self.base = base
        self.database = database
    }

    package static let held = Failure(.conflict, "This order is under a legal hold: its photos and headshots cannot be deleted until the hold is released.",
                              code: "legal_hold")
    package static let destroyed = Failure(.gone, "This order's data has been deleted; nothing more can be stored for it.", code: "order_deleted")

    /// Whether `error` is the store keeping a held order's files (callers that tidy up, rather than
    /// delete on someone's behalf, leave such files for after the hold).
    package static func keptByHold(_ error: any Error) -> Bool {
        (error as? Failure)?.code == held.code
    }

    /// The order an order scope (`PhotoKeys.scope`) belongs to.
    package static func order(of scope: String) -> UUID? {
        guard scope.hasPrefix("order-") else { return nil }
        return UUID(uuidString: String(scope.dropFirst(6)))
    }

    package func put<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws where Body.Element == ByteBuffer {
        if Self.order(of: key.scope) != nil, try await isDestroyed(key.scope) { throw Self.destroyed }
        try await base.put(key, body: body, contentType: contentType)
    }

    package func get(_ key: BlobKey) async throws -> BlobStream { try await base.get(key) }
    package func list(prefix: String) async throws -> [BlobKey] { try await base.list(prefix: prefix) }
    package func exists(_ key: BlobKey) async throws -> Bool { try await base.exists(key) }
    package func storedSize(of key: BlobKey) async throws -> Int? { try await base.storedSize(of: key) }

    package func delete(_ key: BlobKey) async throws {
        try await refuseIfHeld(key.scope)
        try await base.delete(key)
    }

    package func destroyScope(_ scope: String) async throws {
        try await refuseIfHeld(scope)
        if Self.order(of: scope) != nil {
            // The tombstone first: a write checked after it is refused; one already past the check is
            // found by the deletion's listing afterwards, and its record is fenced out.
            try await database().sql().raw("""
                INSERT INTO \(ident: Self.tombstones) (scope, destroyed_at) VALUES (\(bind: scope), \(bind: Date()))
                ON CONFLICT (scope) DO NOTHING
                """).run()
        }
        try await base.destroyScope(scope)
    }

    private func refuseIfHeld(_ scope: String) async throws {
        guard let order = Self.order(of: scope) else { return }
        if try await LegalHolds.isHeld(order: order, on: database()) { throw Self.held }
    }

    private func isDestroyed(_ scope: String) async throws -> Bool {
        try await database().sql().select().column("scope").from(Self.tombstones).where("scope", .equal, scope).first() != nil
    }
}
