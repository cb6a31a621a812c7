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
        for order in stale {
            let id = try order.requireID()
            // Blobs first: if this stops halfway, the order is still a draft and the next run finishes it.
            try await store.destroyScope(PhotoKeys.scope(id))
            try await db.transaction { tx in
                let uploads = try await UploadAsset.query(on: tx).filter(\.$order.$id == id).filter(\.$status != .deleted).all()
                for upload in uploads {
                    upload.faceDescriptor = nil
                    try await upload.save(on: tx)
                    try await Audit.transition(upload, to: .deleted, by: .system(), detail: "abandoned draft", at: now, on: tx)
                }
                try await Audit.transition(order, to: .deleted, by: .system(), detail: "abandoned draft", at: now, on: tx)
            }
        }
        return stale.count
    }
}
