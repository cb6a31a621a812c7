import BlobStorage
import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// 17.9: the remnant scan finds blobs no row references and rows whose blob is gone.
@Suite("Storage audit") struct StorageAuditTests {
    @Test func theScanFindsOrphansAndMissingBlobsAndDeletesOrphansOnRequest() async throws {
        try await withTestApp { app, clock in
            let (_, orderID, headshots) = try await DownloadLinkTests.completedOrder(app, clock)
            let audit = StorageAudit(db: app.db, store: app.blobStore)
            #expect(try await audit.run() == StorageAudit.Report(orphans: [], missing: [], scannedBlobs: 3), "a clean store")

            // A file left behind in the order's scope, one in the scope of an order that no longer exists,
            // and a headshot whose file is gone.
            let stray = try BlobKey(scope: PhotoKeys.scope(orderID), name: "headshots/left-behind.jpg")
            let foreign = try BlobKey(scope: PhotoKeys.scope(UUID()), name: "uploads/ghost.jpg")
            for key in [stray, foreign] { try await app.blobStore.put(key, bytes: [1, 2, 3], contentType: "image/jpeg") }
            let lost = try #require(try await GeneratedAsset.find(UUID(uuidString: headshots[0].id), on: app.db))
            try await app.blobStore.delete(try BlobKey(path: lost.blobKey))

            let report = try await audit.run()
            #expect(report.orphans == [stray.path, foreign.path].sorted())
            #expect(report.missing == [lost.blobKey])
            // An order still being made is left alone: its files and rows are written one after the other.
            let busy = try await Fixtures.queuedJob(app, user: try #require(try await User.query(on: app.db).first()), runAt: clock.now())
            try await app.blobStore.put(try BlobKey(scope: PhotoKeys.scope(busy.$order.id), name: "headshots/in-flight.jpg"), bytes: [1], contentType: "image/jpeg")
            #expect(try await audit.run().orphans.count == 2)

            #expect(try await audit.run(delete: true).orphans.count == 2)
            #expect(try await audit.run().orphans.isEmpty, "deleted")
            #expect(try await app.blobStore.exists(try BlobKey(scope: PhotoKeys.scope(busy.$order.id), name: "headshots/in-flight.jpg")))
        }
    }
}
