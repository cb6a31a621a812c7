import BlobStorage
import FluentKit
import Foundation

/// Keeps the retention promise: selfies (normalised copy, both thumbnails, face descriptor) go
/// `selfieDays` after upload, headshots at their own expiry (`headshotDays` after each was delivered),
/// whatever their order's status. Run every few
/// minutes by the background services, in batches; safe in many processes at once (blob deletion is
/// idempotent, and a row moves to deleted once, under a conditional write), and a run interrupted
/// half-way is finished by the next (blobs go before the row, so a row still there is retried).
///
/// Selfies of an order that is being made (paid, queued, processing) wait until the work ends: the
/// generator reads them. Data under a legal hold (the order's or its account's) is kept until the
/// hold is released.
package struct Retention {
    package static let batch = 200
    package static let interval: Duration = .seconds(300)

    package let db: any Database
    package let store: any BlobStore
    package let policy: RetentionPolicy

    package init(db: any Database, store: any BlobStore, policy: RetentionPolicy) {
        self.db = db
        self.store = store
        self.policy = policy
    }

    package struct Outcome: Equatable {
        package var selfies = 0
        package var headshots = 0
        package var exports = 0

        package init(selfies: Int = 0, headshots: Int = 0, exports: Int = 0) {
            self.selfies = selfies
            self.headshots = headshots
            self.exports = exports
        }
    }

    /// Deletes what is due at `now` (up to a batch of each kind), returning how many went.
    @discardableResult
    package func run(at now: Date) async throws -> Outcome {
        var outcome = Outcome()
        // Data exports: 7 days after they were made, their ZIP and its key go.
        for export in try await DataExport.query(on: db).filter(\.$status == .ready).filter(\.$expiresAt <= now).limit(Self.batch).all() {
            try await store.destroyScope(DataExport.scope(try export.requireID()))
            do {
                try await Audit.transition(export, to: .expired, by: .system(), detail: "retention: 7 days after it was made", at: now, on: db)
                outcome.exports += 1
            } catch is ConcurrentTransition {}
        }
        // Orders being made keep their selfies until the work ends; held orders (and accounts) keep everything.
        let held = try await LegalHolds.heldOrders(on: db)
        let busy = try await Order.query(on: db).filter(\.$status ~~ OrderStatus.beingMade).all(\.$id) + held
        var due = UploadAsset.query(on: db).filter(\.$status != .deleted).filter(\.$expiresAt <= now)
        if !busy.isEmpty { due = due.filter(\.$order.$id !~ busy) }
        var touched = Set<UUID>()
        for upload in try await due.sort(\.$expiresAt).limit(Self.batch).all() {
            let keys = try PhotoKeys.all(order: upload.$order.id, upload: upload.requireID())
            for key in keys { try await store.delete(key) }
            if try await markDeleted(upload, detail: "retention: \(policy.selfieDays) days after upload", at: now) { outcome.selfies += 1 }
            touched.insert(upload.$order.id)
        }

        // Headshots go at their own expiry, whatever became of their order (completed, refunded, failed,
        // deleted): each was given one when it was delivered. Rows from before that, with none, go
        // `headshotDays` after their order completed, as they were promised then.
        let cutoff = now.addingTimeInterval(-TimeInterval(policy.headshotDays) * 86_400)
        var dueHeadshots = GeneratedAsset.query(on: db).filter(\.$status == .ready).filter(\.$expiresAt <= now)
        if !held.isEmpty { dueHeadshots = dueHeadshots.filter(\.$order.$id !~ held) }
        var headshots = try await dueHeadshots.sort(\.$expiresAt).limit(Self.batch).all()
        if headshots.count < Self.batch {
            var legacyOrders = Order.query(on: db).filter(\.$status == .completed).filter(\.$statusChangedAt <= cutoff)
            if !held.isEmpty { legacyOrders = legacyOrders.filter(\.$id !~ held) }
            let expired = try await legacyOrders.all(\.$id)
            if !expired.isEmpty {
                headshots += try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ expired).filter(\.$status == .ready)
                    .filter(\.$expiresAt == nil).limit(Self.batch - headshots.count).all()
            }
        }
        for asset in headshots {
            try await store.delete(try BlobKey(path: asset.blobKey))
            let deleted = try await db.transaction { tx -> Bool in
                guard let current = try await GeneratedAsset.find(asset.requireID(), on: tx), current.status == .ready else { return false }
                try await Audit.transition(current, to: .deleted, by: .system(), detail: "retention: \(policy.headshotDays) days after delivery", at: now, on: tx)
                return true
            }
            if deleted { outcome.headshots += 1 }
            touched.insert(asset.$order.id)
        }
        // Exports made before hold copies of what just went: they go too.
        if !touched.isEmpty {
            for owner in Set(try await Order.query(on: db).filter(\.$id ~~ Array(touched)).all(\.$user.$id)) {
                try await DataExports.withdraw(of: owner, because: "retention deleted data it held", at: now, on: db)
            }
        }
        outcome.exports += try await DataExports.destroyWithdrawn(of: nil, store: store, on: db)
        return outcome
    }

    /// Erases the descriptor and marks the photo deleted, unless another process did it first.
    private func markDeleted(_ upload: UploadAsset, detail: String, at now: Date) async throws -> Bool {
        try await db.transaction { tx in
            guard let current = try await UploadAsset.find(upload.requireID(), on: tx), current.status != .deleted else { return false }
            try await current.markDeleted(by: .system(), detail: detail, at: now, on: tx)
            return true
        }
    }

    /// When an order's data goes: its first remaining selfie's date, and its headshots' once it has completed.
    package static func dates(of order: Order, policy: RetentionPolicy, on db: any Database) async throws -> (selfies: Date?, headshots: Date?) {
        let selfies = try await UploadAsset.query(on: db).filter(\.$order.$id == order.requireID()).filter(\.$status != .deleted)
            .sort(\.$expiresAt, .ascending).first()?.expiresAt
        let headshots = order.status == .completed ? order.statusChangedAt.map { policy.headshotDeletion(completedAt: $0) } : nil
        return (selfies, headshots)
    }
}
