import BlobStorage
import FluentKit
import Foundation

/// The remnant scan: every blob in storage that no live row references (an orphan: a file that
/// should have been deleted), and every live row whose blob is missing. Orders still in progress
/// (a draft being filled, a checkout, a job writing headshots) are skipped: their files and rows are
/// written one after the other, so a scan in between would see half a pair.
package struct StorageAudit {
    package struct Report: Equatable {
        /// Blobs no live row references.
        package var orphans: [String] = []
        /// Live rows (photos, headshots) whose blob is gone.
        package var missing: [String] = []
        package var scannedBlobs = 0
    }

    package static let interval: Duration = .seconds(24 * 3600)
    package static let settled: Set<OrderStatus> = [.completed, .failed, .refunded, .deleted]

    package let db: any Database
    package let store: any BlobStore

    package init(db: any Database, store: any BlobStore) {
        self.db = db
        self.store = store
    }

    /// Scans storage; with `delete`, removes the orphans it found.
    package func run(delete: Bool = false) async throws -> Report {
        var report = Report()
        let keys = try await store.list(prefix: "")
        report.scannedBlobs = keys.count
        let orders = try await Order.query(on: db).all()
        let scopes = Dictionary(orders.compactMap { order in order.id.map { (PhotoKeys.scope($0), order) } }, uniquingKeysWith: { first, _ in first })
        let settledIDs = orders.filter { Self.settled.contains($0.status) }.compactMap(\.id)

        var live = Set<String>()
        if !settledIDs.isEmpty {
            for upload in try await UploadAsset.query(on: db).filter(\.$order.$id ~~ settledIDs).filter(\.$status != .deleted).all() {
                let paths = try PhotoKeys.all(order: upload.$order.id, upload: upload.requireID()).map(\.path)
                live.formUnion(paths)
                if !(try await store.exists(try BlobKey(path: paths[0]))) { report.missing.append(paths[0]) }
            }
            for asset in try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ settledIDs).filter(\.$status == .ready).all() {
                live.insert(asset.blobKey)
                if !(try await store.exists(try BlobKey(path: asset.blobKey))) { report.missing.append(asset.blobKey) }
            }
        }
        // Data exports: a ready one's ZIP is live; one being prepared is left alone.
        var exportsInProgress = Set<String>()
        for export in try await DataExport.query(on: db).filter(\.$status ~~ [.requested, .processing, .failed, .ready]).all() {
            guard let id = export.id else { continue }
            if export.status == .ready, let key = export.blobKey {
                live.insert(key)
                if !(try await store.exists(try BlobKey(path: key))) { report.missing.append(key) }
            } else {
                exportsInProgress.insert(DataExport.scope(id))
            }
        }
        for key in keys {
            // Files of an order still in progress are left alone; files of no known order are orphans.
            if let order = scopes[key.scope], !Self.settled.contains(order.status) { continue }
            if exportsInProgress.contains(key.scope) { continue }
            guard !live.contains(key.path) else { continue }
            report.orphans.append(key.path)
            // A held order's remnants are reported, and kept until the hold is released.
            if delete { do { try await store.delete(key) } catch where GuardedBlobStore.keptByHold(error) {} }
        }
        report.orphans.sort()
        report.missing.sort()
        return report
    }
}
