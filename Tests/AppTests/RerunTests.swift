import BlobStorage
import Fluent
import Imaging
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Re-runs with credits, through the API and the gallery's form: one credit however often the
/// request is sent at once, 409 without credits or selfies, the old headshots kept while the new
/// ones are made (then both, the new ones marked), and a failed re-run's credit given back.
@Suite("Re-runs") struct RerunTests {
    static let styles = "corporate-grey,bright-white"

    /// A customer's completed order of 4 headshots in two styles (the probe generator through the real
    /// queue), its selfies kept, with `credits` re-run credits.
    static func completedOrder(_ app: Application, credits: Int) async throws -> (PhotoClient, UUID) {
        let (client, order, _) = try await completedOrderAndOwner(app, credits: credits)
        return (client, order)
    }

    static func completedOrderAndOwner(_ app: Application, credits: Int) async throws -> (PhotoClient, UUID, User) {
        let (client, user) = try await PhotoClient.make(app)
        let job = try await Fixtures.queuedJob(app, user: user, runAt: app.clock.now())
        let orderID = job.$order.id
        try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 4).set(\.$payload, to: styles).update()
        try await Order.query(on: app.db).filter(\.$id == orderID).set(\.$presets, to: styles).set(\.$headshotCount, to: 4).update()
        try await Entitlement.query(on: app.db).filter(\.$order.$id == orderID).set(\.$rerunCredits, to: credits).update()
        let key = try BlobKey(scope: PhotoKeys.scope(orderID), name: "photos/selfie.jpg")
        let jpeg = try ImageResizer.flatJPEG(width: 40, height: 50, grey: 120)
        try await app.blobStore.put(key, bytes: jpeg, contentType: "image/jpeg")
        let selfie = UploadAsset(orderID: orderID, blobKey: key.path, originalFilename: "selfie.jpg", byteSize: jpeg.count)
        selfie.status = .accepted
        selfie.expiresAt = app.clock.now().addingTimeInterval(30 * 86_400)
        try await selfie.create(on: app.db)
        #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
        #expect(try await Order.find(orderID, on: app.db)?.status == .completed)
        return (client, orderID, user)
    }

    static func rerun(_ client: PhotoClient, _ order: UUID, _ json: String) async throws -> TestingHTTPResponse {
        try await RefundTests.post(client, "/orders/\(order.uuidString.lowercased())/reruns", json)
    }

    static func credits(_ app: Application, _ order: UUID) async throws -> Int? {
        try await Entitlement.query(on: app.db).filter(\.$order.$id == order).first()?.rerunCredits
    }

    static func reruns(_ app: Application, _ order: UUID) async throws -> [GenerationJob] {
        try await GenerationJob.query(on: app.db).filter(\.$order.$id == order).filter(\.$kind == GenerationJob.Kind.rerun).all()
    }

    @Test func tenSimultaneousRerunRequestsSpendExactlyOneCredit() async throws {
        try await withTestApp { app, _ in
            let (client, order, owner) = try await Self.completedOrderAndOwner(app, credits: 3)
            let token = client.token
            let answers = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let response = try await Self.rerun(PhotoClient(browser: Browser(app), token: token), order, #"{"style":"corporate-grey"}"#)
                        return (response.status, response.body.string)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == .accepted }.count == 1, "\(answers)")
            #expect(answers.filter { $0.0 == .conflict && $0.1.contains("rerun_under_way") }.count == 9, "\(answers)")
            #expect(try await Self.credits(app, order) == 2, "one credit spent, once")
            let jobs = try await Self.reruns(app, order)
            #expect(jobs.count == 1 && jobs.first?.progressTotal == 2 && jobs.first?.payload == "corporate-grey,corporate-grey")
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "rerun.started").all()
            #expect(audit.count == 1 && audit.first?.actorID == owner.id)
        }
    }

    @Test func withoutCreditsOrSelfiesARerunIsRefusedWithAConflictAndNothingIsQueued() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await Self.completedOrder(app, credits: 0)
            let none = try await Self.rerun(client, order, #"{"style":"corporate-grey"}"#)
            #expect(none.status == .conflict && none.body.string.contains("no_rerun_credits"), "\(none.body.string)")

            try await Entitlement.query(on: app.db).filter(\.$order.$id == order).set(\.$rerunCredits, to: 1).update()
            try await UploadAsset.query(on: app.db).filter(\.$order.$id == order).set(\.$status, to: .deleted).update()
            let gone = try await Self.rerun(client, order, #"{"style":"corporate-grey"}"#)
            #expect(gone.status == .conflict && gone.body.string.contains("selfies_deleted"), "\(gone.body.string)")
            #expect(try await Self.reruns(app, order).isEmpty)
            #expect(try await Self.credits(app, order) == 1, "a refused re-run spends nothing")

            // A style the order does not have, both or neither scope, and a stranger.
            try await UploadAsset.query(on: app.db).filter(\.$order.$id == order).set(\.$status, to: .accepted).update()
            #expect(try await Self.rerun(client, order, #"{"style":"modern-office"}"#).status == .unprocessableEntity)
            #expect(try await Self.rerun(client, order, "{}").status == .unprocessableEntity)
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await Self.rerun(stranger, order, #"{"style":"corporate-grey"}"#).status == .notFound)
            #expect(try await Self.credits(app, order) == 1)
        }
    }

    @Test func theOldHeadshotsStayWhileTheRerunIsMadeThenBothAreShownTheNewOnesMarked() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await Self.completedOrder(app, credits: 1)
            let path = "/orders/\(order.uuidString.lowercased())"
            let old = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).all()
            let bright = old.filter { $0.preset == "bright-white" }.compactMap(\.id).map { $0.uuidString.lowercased() }
            #expect(old.count == 4 && bright.count == 2)

            // The gallery's form, as a customer sends it: the two ticked headshots.
            let browser = client.browser
            let gallery = try await browser.request(.GET, path + "/gallery")
            #expect(gallery.body.string.contains("1 re-run credit left"), "the gallery says what is left")
            let csrf = try await browser.csrfToken()
            let form = bright.map { "headshot_ids%5B%5D=\($0)" }.joined(separator: "&") + "&" + Browser.encode([CSRF.fieldName: csrf])
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let started = try await browser.request(.POST, path + "/reruns", headers: headers, body: ByteBuffer(string: form))
            #expect(started.status == .seeOther && started.headers.first(name: .location) == path + "?notice=rerun")
            #expect(try await Self.credits(app, order) == 0)

            // Queued: the order is still complete, all four headshots are served, and the status says it is re-making.
            let status = try await browser.request(.GET, "/api/v1" + path + "/status", headers: client.auth)
            #expect(status.body.string.contains(#""remaking":true"#) && status.body.string.contains(#""total":2"#), "\(status.body.string)")
            #expect(try await Order.find(order, on: app.db)?.status == .completed)
            let during = try await browser.request(.GET, path + "/gallery")
            #expect(during.body.string.components(separatedBy: "class=\"headshot\"").count - 1 == 4)
            #expect(during.body.string.contains("A re-run is under way"))

            #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
            let after = try await browser.request(.GET, path + "/gallery")
            #expect(after.body.string.components(separatedBy: "class=\"headshot\"").count - 1 == 6, "the old four and the two re-made")
            #expect(after.body.string.components(separatedBy: "badge remade").count - 1 == 2)
            #expect(after.body.string.contains("Bright White 3") && after.body.string.contains("Bright White 4"), "numbered after the ones they re-make")
            let done = try await browser.request(.GET, "/api/v1" + path + "/status", headers: client.auth)
            #expect(done.body.string.contains(#""remaking":false"#) && done.body.string.contains(#""status":"completed""#))
            let note = try await Notification.query(on: app.db).filter(\.$kind == "order.rerun_completed").first()
            #expect(note?.title == "Your re-made headshots are ready")
            let standing = try await browser.request(.GET, "/api/v1" + path + "/reruns", headers: client.auth)
            #expect(standing.body.string.contains(#""credits_left":0"#) && standing.body.string.contains(#""possible":false"#), "\(standing.body.string)")
            #expect(standing.body.string.contains(#""status":"succeeded""#))
        }
    }

    @Test func aRerunThatFailsForGoodGivesItsCreditBackAndLeavesTheOrderComplete() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await Self.completedOrder(app, credits: 1)
            #expect(try await Self.rerun(client, order, #"{"style":"bright-white"}"#).status == .accepted)
            try await GenerationJob.query(on: app.db).filter(\.$kind == GenerationJob.Kind.rerun).set(\.$maxAttempts, to: 1).update()
            #expect(try await Self.credits(app, order) == 0)
            #expect(try await QueueWorker(app: app, generator: CountingGenerator(failFirst: 1)).runOnce())
            #expect(try await Self.reruns(app, order).first?.status == .failed)
            #expect(try await Self.credits(app, order) == 1, "the credit comes back")
            #expect(try await Order.find(order, on: app.db)?.status == .completed, "the order keeps its headshots")
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).count() == 4)
            let note = try await Notification.query(on: app.db).filter(\.$kind == "order.rerun_failed").first()
            #expect(note?.body.contains("credit has been given back") == true)
        }
    }

    /// Support's re-run is granted, not bought: when it fails for good, no credit appears that the
    /// customer never spent, and the notification does not say one came back.
    @Test func aSupportGrantedRerunThatFailsGivesBackNoCreditTheCustomerNeverSpent() async throws {
        try await withTestApp { app, _ in
            let (_, order) = try await Self.completedOrder(app, credits: 0)
            let staff = try await RefundTests.support(app)
            let started = try await RefundTests.post(staff, "/admin/orders/\(order.uuidString.lowercased())/reruns", #"{"style":"bright-white"}"#)
            #expect(started.status == .accepted, "\(started.body.string)")
            try await GenerationJob.query(on: app.db).filter(\.$kind == GenerationJob.Kind.rerun).set(\.$maxAttempts, to: 1).update()
            #expect(try await QueueWorker(app: app, generator: CountingGenerator(failFirst: 1)).runOnce())
            #expect(try await Self.reruns(app, order).first?.status == .failed)
            #expect(try await Self.credits(app, order) == 0, "a granted re-run that failed leaves the credits as they were")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "rerun.credit_returned").count() == 0)
            let note = try #require(try await Notification.query(on: app.db).filter(\.$kind == "order.rerun_failed").first())
            #expect(!note.body.contains("credit has been given back") && note.body.contains("headshots are unchanged"))
        }
    }
}
