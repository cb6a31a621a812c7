import BlobStorage
import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The two rules every path that destroys or writes an order's data obeys (`GuardedBlobStore`):
/// a legal hold stops every deletion, and a destroyed order scope is never written again.
@Suite("Storage guard") struct StorageGuardTests {
    /// A held draft: the owner's discard and photo removal are refused with `legal_hold` and touch
    /// nothing; draft cleanup passes it by; released, the same discard works.
    @Test func aLegalHoldStopsTheOwnersDiscardPhotoRemovalAndDraftCleanup() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            #expect(try await client.upload(fixture: PhotoClient.personA[0], to: order).status == .created)
            let photos = try await client.photoIDs(order)
            let orderID = try #require(UUID(uuidString: order))
            let files = try await app.blobStore.list(prefix: PhotoKeys.scope(orderID) + "/")
            #expect(files.count == 3)
            let held = try #require(try await Order.find(orderID, on: app.db))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .order(held), reason: "litigation hold 2026-17")

            let removal = try await client.api(.DELETE, "/orders/\(order)/photos/\(photos[0].id)")
            #expect(removal.status == .conflict && removal.body.string.contains("legal_hold"), "\(removal.status) \(removal.body.string)")
            let discard = try await client.api(.DELETE, "/orders/\(order)")
            #expect(discard.status == .conflict && discard.body.string.contains("legal_hold"), "\(discard.status) \(discard.body.string)")
            clock.advance(by: DraftCleanup.abandonAfter + 60)
            #expect(try await DraftCleanup(db: app.db, store: app.blobStore).run(at: clock.now()) == 0)
            // The account's hold covers its drafts too.
            let account = try #require(try await User.find(user.requireID(), on: app.db))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).release(.order(held))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .user(account), reason: "litigation hold 2026-18")
            #expect(try await client.api(.DELETE, "/orders/\(order)").status == .conflict)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(orderID) + "/") == files, "nothing was deleted")
            #expect(try await Order.find(orderID, on: app.db)?.status == .draft)
            #expect(try await UploadAsset.query(on: app.db).filter(\.$order.$id == orderID).filter(\.$status == .deleted).count() == 0)

            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).release(.user(account))
            #expect(try await client.api(.DELETE, "/orders/\(order)").status == .noContent)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(orderID) + "/").isEmpty)
        }
    }

    /// A deletion while a re-run is rendering: the job is cancelled before the inventory, the worker's
    /// next headshot is refused (no file under a fresh key, no row), and storage holds nothing of the order.
    @Test func aDeletionCancelsARunningRerunAndItsLateHeadshotIsRefused() async throws {
        try await withTestApp { app, clock in
            let (client, order) = try await RerunTests.completedOrder(app, credits: 1)
            #expect(try await RerunTests.rerun(client, order, #"{"style":"bright-white"}"#).status == .accepted)
            let queue = JobQueue(db: app.db)
            let claim = try #require(try await queue.claim(worker: "renderer", now: clock.now()))
            #expect(try await GenerationJob.find(claim.jobID, on: app.db)?.status == .running)
            let outputs = JobOutputs(claim: claim, queue: queue, store: app.blobStore, clock: app.clock, retention: app.config.retention)

            _ = try await DeletionTests.create(client, ["scope": "order", "order_id": order.uuidString.lowercased(), "password": Fixtures.password])
            #expect(try await DeletionTests.worker(app).runDue() == 1)
            // Cancelled before the inventory (the job's row went with the order; its audited move stays).
            #expect(try await AuditEvent.query(on: app.db).filter(\.$subjectID == claim.jobID).filter(\.$toState == JobStatus.cancelled.rawValue)
                .count() == 1, "the re-run was cancelled")

            // The renderer, still running, delivers one more headshot.
            await #expect(throws: (any Error).self) {
                try await outputs.deliver(Headshot(index: 0, preset: "bright-white", jpeg: Array("late headshot".utf8), width: 1, height: 1,
                                                   identityDistance: nil))
            }
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty, "no file came back")
            #expect(try await app.testServices.configuredStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).count() == 0, "no row came back")
            // Nor does a plain write into the destroyed scope get a fresh key.
            await #expect(throws: (any Error).self) {
                try await app.blobStore.put(try BlobKey(scope: PhotoKeys.scope(order), name: "headshots/x.jpg"), bytes: [1, 2, 3], contentType: "image/jpeg")
            }
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)
        }
    }

    /// A hold keeps files, it does not stop work: an order under a hold is still made, and a file a
    /// killed worker left behind (which the next attempt would tidy) stays until the hold is released.
    @Test func aHeldOrderIsStillMadeAndItsLeftoversWaitForTheRelease() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 3).update()
            let order = job.$order.id
            let leftover = try BlobKey(scope: PhotoKeys.scope(order), name: "headshots/killed-worker-0.jpg")
            try await app.blobStore.put(leftover, bytes: [1, 2, 3], contentType: "image/jpeg")
            let held = try #require(try await Order.find(order, on: app.db))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .order(held), reason: "audit 2026-44")

            #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
            #expect(try await Order.find(order, on: app.db)?.status == .completed)
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).count() == 3)
            #expect(try await app.blobStore.exists(leftover), "kept while the hold lasts")
            #expect(try await StorageAudit(db: app.db, store: app.blobStore).run(delete: true).orphans == [leftover.path])
            #expect(try await app.blobStore.exists(leftover))
        }
    }
}
