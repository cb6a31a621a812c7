import BlobStorage
import Fluent
import Foundation
import SQLKit

/// Deletes drafts nobody came back to: after 48 hours an unpaid draft's photos, thumbnails and
/// descriptors are destroyed (its blob scope and data key with them) and the order is marked deleted.
struct DraftCleanup {
    static let abandonAfter: TimeInterval = 48 * 3600

    let db: any Database
    let store: any BlobStore

    @discardableResult
    func run(at now: Date) async throws -> Int {
        let stale = try await Order.query(on: db).filter(\.$status == .draft)
            .filter(\.$createdAt < now.addingTimeInterval(-Self.abandonAfter)).all()
        for order in stale { try await discard(order, by: .system(), reason: "abandoned draft", at: now) }
        return stale.count
    }

    /// Deletes a draft: its photos, thumbnails and descriptors (the blob scope and its key first), and
    /// marks it deleted. Also what "Discard this draft" does for its owner.
    func discard(_ order: Order, by actor: AuditActor, reason: String, at now: Date) async throws {
        guard order.status == .draft else { throw Failure(.conflict, "Only an order that has not been paid for can be discarded.", code: "not_a_draft") }
        let id = try order.requireID()
        // Blobs first: if this stops halfway, the order is still a draft and the next run finishes it.
        try await store.destroyScope(PhotoKeys.scope(id))
        try await db.transaction { tx in
            let uploads = try await UploadAsset.query(on: tx).filter(\.$order.$id == id).filter(\.$status != .deleted).all()
            for upload in uploads { try await upload.markDeleted(by: actor, detail: reason, at: now, on: tx) }
            try await Audit.transition(order, to: .deleted, by: actor, detail: reason, at: now, on: tx)
        }
    }
}
