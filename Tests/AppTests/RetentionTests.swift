import BlobStorage
import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The retention promise, kept by the retention worker on an injected clock: the dates the pages
/// show are the dates things go.
@Suite("Retention") struct RetentionTests {
    static func blobs(_ app: Application, order: String) async throws -> [String] {
        try await app.blobStore.list(prefix: PhotoKeys.scope(UUID(uuidString: order)!) + "/").map(\.path)
    }

    @Test func selfiesGoSevenDaysAfterUploadAndHeadshotsThirtyDaysAfterCompletionOnTheDatesShown() async throws {
        try await withTestApp { app, clock in
            let uploaded = clock.now()
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let selfieDay = DateText.long(uploaded.addingTimeInterval(7 * 86_400))
            let checkout = try await client.browser.request(.GET, "/orders/\(order)/checkout")
            #expect(checkout.body.string.contains("Your selfies will be deleted on \(selfieDay)"), "the consent states the date")

            let session = try await MoneyHardeningTests.startCheckout(client, order, package: "basic", presets: MoneyHardeningTests.basicStyles)
            #expect(try await MoneyHardeningTests.paid(app, session: session).status == .ok)
            try await GenerationJob.query(on: app.db).set(\.$progressTotal, to: 3).update()
            clock.advance(by: 3600)
            let completed = clock.now()
            #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
            let headshotDay = DateText.long(completed.addingTimeInterval(30 * 86_400))
            let page = try await client.browser.request(.GET, "/orders/\(order)")
            #expect(page.body.string.contains("Your selfies will be deleted on \(selfieDay), your headshots on \(headshotDay)."), "\(page.body.string)")
            let gallery = try await client.browser.request(.GET, "/orders/\(order)/gallery")
            #expect(gallery.body.string.contains("They will be deleted on \(headshotDay)"))

            let retention = Retention(db: app.db, store: app.blobStore, policy: app.config.retention)
            let before = try await Self.blobs(app, order: order)
            #expect(before.filter { $0.contains("/uploads/") || $0.contains("/thumbs/") }.count == 8 * 3 && before.filter { $0.contains("/headshots/") }.count == 3,
                    "\(before)")

            clock.advance(by: 6 * 86_400 - 3600)   // day 6
            #expect(try await retention.run(at: clock.now()) == Retention.Outcome())
            #expect(try await Self.blobs(app, order: order) == before)

            clock.set(uploaded.addingTimeInterval(7 * 86_400 + 60))   // day 7 + 1 minute
            #expect(try await retention.run(at: clock.now()) == Retention.Outcome(selfies: 8, headshots: 0))
            let afterSelfies = try await Self.blobs(app, order: order)
            #expect(afterSelfies.filter { $0.contains("/uploads/") || $0.contains("/thumbs/") }.isEmpty, "normalised copies and both thumbnails are gone")
            #expect(afterSelfies.filter { $0.contains("/headshots/") }.count == 3, "headshots remain")
            let uploads = try await UploadAsset.query(on: app.db).all()
            #expect(uploads.allSatisfy { $0.status == .deleted && $0.faceDescriptor == nil })
            // A week later the session has expired: the customer logs in again.
            try await Fixtures.logIn(client.browser, email: try #require(try await User.query(on: app.db).first()).email)
            let afterPage = try await client.browser.request(.GET, "/orders/\(order)")
            #expect(afterPage.body.string.contains("Your selfies have been deleted; your headshots will be deleted on \(headshotDay)."), "\(afterPage.status) \(afterPage.body.string.suffix(1500))")

            clock.set(completed.addingTimeInterval(30 * 86_400 + 60))   // 30 days + 1 minute after completion
            #expect(try await retention.run(at: clock.now()) == Retention.Outcome(selfies: 0, headshots: 3))
            #expect(try await Self.blobs(app, order: order).isEmpty)
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$status == .ready).count() == 0)
            #expect(try await retention.run(at: clock.now()) == Retention.Outcome(), "a second run finds nothing")
        }
    }

    @Test func retentionPeriodsComeFromTheEnvironmentAndMoveEveryDate() async throws {
        let config = try AppConfig.load(environment: .development, variables: [
            "SECRET_KEY": String(repeating: "ab", count: 32), "SELFIE_RETENTION_DAYS": "3", "HEADSHOT_RETENTION_DAYS": "10",
        ])
        #expect(config.retention == RetentionPolicy(selfieDays: 3, headshotDays: 10))
        #expect(try ["0", "400", "x"].allSatisfy { raw in
            (try? AppConfig.load(environment: .development, variables: ["SECRET_KEY": String(repeating: "ab", count: 32), "SELFIE_RETENTION_DAYS": raw])) == nil
        })
        try await withTestApp(customize: { $0.retention = config.retention }) { app, clock in
            let uploaded = clock.now()
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let checkout = try await client.browser.request(.GET, "/orders/\(order)/checkout")
            #expect(checkout.body.string.contains("deleted 3 days after upload") && checkout.body.string.contains("deleted 10 days after delivery"))
            #expect(checkout.body.string.contains("Your selfies will be deleted on \(DateText.long(uploaded.addingTimeInterval(3 * 86_400)))"))
            let policy = try await client.browser.request(.GET, "/api/v1/consent-policy")
            #expect(policy.body.string.contains(#""selfie_retention_days":3"#) && policy.body.string.contains(#""headshot_retention_days":10"#))
            let landing = try await Browser(app).request(.GET, "/")
            #expect(landing.body.string.contains("3 days after you upload") && landing.body.string.contains("10 days after delivery"))
            clock.set(uploaded.addingTimeInterval(3 * 86_400 + 60))
            #expect(try await Retention(db: app.db, store: app.blobStore, policy: app.config.retention).run(at: clock.now()).selfies == 8)
        }
    }

    // 17.5: a legal hold on the account keeps its data past its time; released, retention deletes it.
    @Test func heldDataIsKeptByRetentionUntilTheHoldIsReleased() async throws {
        try await withTestApp { app, clock in
            let uploaded = clock.now()
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let user = try #require(try await User.query(on: app.db).first())
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .user(user), reason: "court order 4711")
            let page = try await client.browser.request(.GET, "/orders/\(order)")
            #expect(page.body.string.contains(#"id="legal-hold""#) && !page.body.string.contains("4711"), "told that a hold exists, not why")

            let retention = Retention(db: app.db, store: app.blobStore, policy: app.config.retention)
            clock.set(uploaded.addingTimeInterval(8 * 86_400))
            #expect(try await retention.run(at: clock.now()) == Retention.Outcome(), "held data is kept past its date")
            #expect(try await Self.blobs(app, order: order).count == 8 * 3)

            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).release(.user(try #require(try await User.find(user.id, on: app.db))))
            #expect(try await retention.run(at: clock.now()).selfies == 8, "released, the overdue data goes on the next run")
            #expect(try await Self.blobs(app, order: order).isEmpty)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["user.hold_placed", "user.hold_released"]).count()
            #expect(events == 2)
        }
    }

    /// Delivers the first `delivers` headshots of a job, then fails for good.
    struct PartlyFailingGenerator: Generator {
        let description = "fails after a few headshots"
        let delivers: Int
        func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
            for index in work.pending.prefix(delivers) {
                try await output.deliver(Headshot(index: index, preset: "corporate-grey", jpeg: Array("headshot \(index)".utf8), width: 1, height: 1,
                                                  identityDistance: nil))
            }
            throw GenerationFailure("We could not finish.", code: "test_failure")
        }
    }

    /// Retention runs off each headshot's own expiry: those of a refunded and of a failed order go on
    /// time like a completed order's (files and rows); a held order's stay.
    @Test func headshotsOfRefundedAndFailedOrdersGoAtTheirOwnExpiryAndHeldOnesStay() async throws {
        try await withTestApp { app, clock in
            let (client, refunded, _) = try await DeliveryRuleTests.completedPaidOrder(app)
            #expect(try await DeliveryRuleTests.askForRefund(client, refunded) == "refunded")
            var failed: [UUID] = []
            for _ in 0..<2 {
                let job = try await Fixtures.queuedJob(app, user: try await Fixtures.user(app), runAt: clock.now(), maxAttempts: 1)
                try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 4).update()
                #expect(try await QueueWorker(app: app, generator: PartlyFailingGenerator(delivers: 2)).runOnce())
                #expect(try await Order.find(job.$order.id, on: app.db)?.status == .failed)
                failed.append(job.$order.id)
            }
            let held = try #require(try await Order.find(failed[1], on: app.db))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .order(held), reason: "dispute 4711")
            let refundedID = try #require(UUID(uuidString: refunded))
            func ready(_ order: UUID) async throws -> Int {
                try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).filter(\.$status == .ready).count()
            }
            #expect(try await ready(refundedID) == 3)
            #expect(try await ready(failed[0]) == 2)
            #expect(try await ready(failed[1]) == 2)

            let retention = Retention(db: app.db, store: app.blobStore, policy: app.config.retention)
            clock.advance(by: TimeInterval(app.config.retention.headshotDays) * 86_400 - 3_600)
            #expect(try await retention.run(at: clock.now()).headshots == 0, "not before their expiry")
            clock.advance(by: 7_200)
            #expect(try await retention.run(at: clock.now()).headshots == 5)
            #expect(try await ready(refundedID) == 0)
            #expect(try await ready(failed[0]) == 0)
            #expect(try await Self.blobs(app, order: refunded).isEmpty)
            #expect(try await Self.blobs(app, order: failed[0].uuidString).isEmpty)
            #expect(try await ready(failed[1]) == 2, "a legal hold keeps them")
            #expect(try await Self.blobs(app, order: failed[1].uuidString).count == 2)
        }
    }
}
