import BlobStorage
import FluentKit
import Foundation
import SQLKit

/// Deletes drafts nobody came back to: after 48 hours an unpaid draft's photos, thumbnails and
/// descriptors are destroyed (its blob scope and data key with them) and the order is marked deleted.
package struct DraftCleanup {
    package static let abandonAfter: TimeInterval = 48 * 3600

    package let db: any Database
    package let store: any BlobStore

    package init(db: any Database, store: any BlobStore) {
        self.db = db
        self.store = store
    }

    @discardableResult
    package func run(at now: Date) async throws -> Int {
        // A draft under a legal hold stays until it is released (the store would refuse it anyway).
        let held = try await LegalHolds.heldOrders(on: db)
        var due = Order.query(on: db).filter(\.$status == .draft).filter(\.$createdAt < now.addingTimeInterval(-Self.abandonAfter))
        if !held.isEmpty { due = due.filter(\.$id !~ held) }
        let stale = try await due.all()
        for order in stale { try await discard(order, by: .system(), reason: "abandoned draft", at: now) }
        return stale.count
    }

    /// Deletes a draft: its photos, thumbnails and descriptors (the blob scope and its key first), and
    /// marks it deleted. Also what "Discard this draft" does for its owner. A draft under a legal hold
    /// is refused (`legal_hold`) by the store before anything is touched.
    package func discard(_ order: Order, by actor: AuditActor, reason: String, at now: Date) async throws {
        guard order.status == .draft else { throw Failure(.conflict, "Only an order that has not been paid for can be discarded.", code: "not_a_draft") }
        let id = try order.requireID()
        // Blobs first: if this stops halfway, the order is still a draft and the next run finishes it.
        try await store.destroyScope(PhotoKeys.scope(id))
        try await db.transaction { tx in
            let uploads = try await UploadAsset.query(on: tx).filter(\.$order.$id == id).filter(\.$status != .deleted).all()
            for upload in uploads { try await upload.markDeleted(by: actor, detail: reason, at: now, on: tx) }
            try await Audit.transition(order, to: .deleted, by: actor, detail: reason, at: now, on: tx)
            if !uploads.isEmpty { try await DataExports.withdraw(of: order.$user.id, because: "a draft in it was deleted", at: now, on: tx) }
        }
        try await DataExports.destroyWithdrawn(of: order.$user.id, store: store, on: db)
    }
}
