@testable import BlobStorage
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Self-serve deletion through the API and the worker: what goes, what proves it, and who can see it.
@Suite("Self-serve deletion")
struct DeletionTests {
    /// A completed order of the user with `selfies` stored selfies (photo and both thumbnails, with a
    /// face descriptor) and `headshots` headshots made by the queue worker.
    static func completedOrder(_ app: Application, user: User, clock: ManualClock, selfies: Int, headshots: Int) async throws -> UUID {
        let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
        let orderID = job.$order.id
        try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: headshots)
            .set(\.$payload, to: "corporate-grey,bright-white").update()
        for number in 0..<selfies {
            let id = UUID()
            let upload = UploadAsset(id: id, orderID: orderID, blobKey: try PhotoKeys.photo(order: orderID, upload: id).path,
                                     originalFilename: "me-\(number).jpg", byteSize: 2_000)
            upload.status = .accepted
            upload.faceDescriptor = "[0.25,0.5]"
            upload.expiresAt = clock.now().addingTimeInterval(7 * 86_400)
            try await upload.create(on: app.db)
            for key in try PhotoKeys.all(order: orderID, upload: id) {
                try await app.blobStore.put(key, bytes: (0..<2_000).map { _ in UInt8.random(in: 0...255) }, contentType: "image/jpeg")
            }
        }
        #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
        #expect(try await Order.find(orderID, on: app.db)?.status == .completed)
        return orderID
    }

    struct Created: Decodable {
        let id: UUID
        let status: String
        let receipt_id: UUID
        let receipt_secret: String?
        let on_hold: Bool
    }

    static func request(_ client: PhotoClient, _ body: [String: String]) async throws -> TestingHTTPResponse {
        try await client.browser.request(.POST, "/api/v1/deletion-requests", json: body, headers: client.auth)
    }

    static func create(_ client: PhotoClient, _ body: [String: String]) async throws -> Created {
        let response = try await request(client, body)
        #expect(response.status == .accepted, "\(response.body.string)")
        return try JSONDecoder().decode(Created.self, from: Data(response.body.readableBytesView))
    }

    static func worker(_ app: Application, store: (any BlobStore)? = nil, name: String = "test-worker") throws -> DeletionWorker {
        try DeletionWorker(services: app.testServices, logger: app.logger, store: store, worker: name)
    }

    static func headshots(_ client: PhotoClient, _ order: UUID) async throws -> [HeadshotDTO] {
        let list = try await client.api(.GET, "/orders/\(order.uuidString.lowercased())/headshots")
        #expect(list.status == .ok, "\(list.body.string)")
        return try JSONDecoder().decode(DownloadLinkTests.ListBody.self, from: Data(list.body.readableBytesView)).headshots
    }

    static func count(_ app: Application, _ table: String, where column: String, in ids: [UUID]) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        let rows = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where(SQLColumn(column), .in, SQLGroupExpression(ids.map { SQLBind($0) })).all()
        return try rows.first?.decode(column: "n", as: Int.self) ?? -1
    }

    struct ReceiptBody: Decodable {
        struct Count: Decodable { let count: Int; let bytes: Int }
        let receipt_id: UUID
        let scope: String
        let key_destroyed_at: Date?
        let blobs: [String: Count]
        let records: [String: Int]
        let blob_count: Int
        let blob_keys_sha256: String
    }

    static func receipt(_ app: Application, _ id: UUID, secret: String) async throws -> (HTTPStatus, ReceiptBody?) {
        let response = try await Browser(app).request(.GET, "/api/v1/deletion-receipts/\(id.uuidString.lowercased())", headers: ["X-Receipt-Secret": secret])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (response.status, response.status == .ok ? try decoder.decode(ReceiptBody.self, from: Data(response.body.readableBytesView)) : nil)
    }

    enum Storage: String, CaseIterable, Sendable {
        case local, s3
    }

    static var storages: [Storage] { ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] == nil ? [.local] : [.local, .s3] }

    /// The app's storage: local encrypted disk, or a bucket of its own on moto.
    static func use(_ storage: Storage, _ config: inout AppConfig) {
        guard storage == .s3, let endpoint = ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] else { return }
        config.storage = .s3(S3Settings(endpoint: URL(string: endpoint)!, region: "us-east-1", bucket: "deletion-" + UUID().uuidString.lowercased().prefix(12),
                                        accessKeyID: "testing", secretAccessKey: "testing"))
    }

    /// The bytes of a blob as storage holds them (sealed): what a backup or an old object version keeps.
    static func stored(_ app: Application, _ key: BlobKey) async throws -> [UInt8] {
        if let s3 = app.testServices.configuredStore as? S3BlobStore {
            var bytes: [UInt8] = []
            for try await chunk in try await s3.getRaw(key) { bytes += chunk.readableBytesView }
            return bytes
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: app.config.dataDirectory + "/blobs/" + key.path)))
    }

    /// Puts a kept copy back where it was (a restored backup, an undeleted version).
    static func restore(_ app: Application, _ key: BlobKey, _ bytes: [UInt8]) async throws {
        if let s3 = app.testServices.configuredStore as? S3BlobStore {
            try await s3.putRaw(key, body: OneChunk(buffer: ByteBuffer(bytes: bytes)), contentType: "application/octet-stream")
            return
        }
        let file = app.config.dataDirectory + "/blobs/" + key.path
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
    }

    @Test(arguments: storages)
    func deletingTheAccountLeavesNoRowNoFileAndNoWorkingLinkAndABackupCopyCannotBeRead(_ storage: Storage) async throws {
        try await withTestApp(customize: { Self.use(storage, &$0) }) { app, clock in
            if let s3 = app.testServices.configuredStore as? S3BlobStore { try await s3.createBucketIfMissing() }
            let (client, user) = try await PhotoClient.make(app)
            let userID = try user.requireID()
            let first = try await Self.completedOrder(app, user: user, clock: clock, selfies: 3, headshots: 4)
            let second = try await Self.completedOrder(app, user: user, clock: clock, selfies: 2, headshots: 3)
            let orders = [first, second]

            // The first order has a favourite and a share link; every link is noted before deletion.
            let items = try await Self.headshots(client, first)
            let item = try #require(items.first)
            let marked = try await client.browser.request(.PUT, "/api/v1/orders/\(first.uuidString.lowercased())/headshots/\(item.id)/favourite",
                                                          json: ["favourite": true], headers: client.auth)
            #expect(marked.status == .ok)
            let shared = try await client.browser.request(.POST, "/api/v1/orders/\(first.uuidString.lowercased())/headshots/\(item.id)/shares",
                                                          json: ["days": 7], headers: client.auth)
            #expect(shared.status == .created)
            let shareURL = try Browser.extract(#""url":"http:\\/\\/localhost:8080([^"]+)""#, from: shared.body.string).replacingOccurrences(of: "\\/", with: "/")
            let download = try #require(item.links["full"])
            #expect(try await client.browser.request(.GET, download).status == .ok)
            #expect(try await Browser(app).request(.GET, shareURL).status == .ok)
            let selfie = try #require(try await UploadAsset.query(on: app.db).filter(\.$order.$id == first).first())
            let thumbnail = "/api/v1/orders/\(first.uuidString.lowercased())/photos/\(try selfie.requireID().uuidString.lowercased())/thumbnail?size=256"
            #expect(try await client.browser.request(.GET, thumbnail, headers: client.auth).status == .ok)

            // A "backup": the stored (encrypted) bytes of a headshot, copied aside before the deletion.
            let asset = try #require(try await GeneratedAsset.find(UUID(uuidString: item.id), on: app.db))
            let assetKey = try BlobKey(path: asset.blobKey)
            let backup = try await Self.stored(app, assetKey)
            #expect(backup.starts(with: Array("HSB1".utf8)), "stored encrypted on \(storage)")

            let created = try await Self.create(client, ["scope": "account", "password": Fixtures.password])
            #expect(created.status == "requested" && created.receipt_secret != nil)
            let secret = try #require(created.receipt_secret)
            #expect(try await Self.worker(app).runDue() == 1)

            // No row carries the user's id any more, except the receipt and the anonymised audit trail.
            for (table, column) in [("users", "id"), ("orders", "user_id"), ("api_tokens", "user_id"), ("sessions", "user_id"),
                                    ("user_tokens", "user_id"), ("notifications", "user_id"), ("download_events", "user_id"),
                                    ("share_links", "user_id"), ("entitlements", "user_id"), ("support_tickets", "user_id")] {
                #expect(try await Self.count(app, table, where: column, in: [userID]) == 0, "\(table) still has rows of the user")
            }
            for table in ["upload_assets", "generated_assets", "generation_jobs", "checkout_sessions", "refund_requests", "download_events",
                          "gallery_revisions"] {
                #expect(try await Self.count(app, table, where: "order_id", in: orders) == 0, "\(table) still has rows of the orders")
            }
            #expect(try await Self.count(app, "deletion_requests", where: "user_id", in: [userID]) == 1, "the receipt stays")
            let subjects = [userID] + orders
            let trail = try await AuditEvent.query(on: app.db).group(.or) { $0.filter(\.$actorID == userID).filter(\.$subjectID ~~ subjects) }.all()
            #expect(!trail.isEmpty && trail.allSatisfy { $0.detail == nil && $0.requestID == nil }, "audit events keep what happened, not the details")
            #expect(try await LoginAttempt.query(on: app.db).filter(\.$email == user.email).count() == 0)

            // No blob under either order, nothing the remnant scan would find.
            for order in orders { #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty) }
            #expect(try await StorageAudit(db: app.db, store: app.blobStore).run().orphans.isEmpty)

            // Every old link is dead: the download and share links for anyone, the thumbnail for anyone
            // signed in, the old token everywhere.
            #expect(try await Browser(app).request(.GET, download).status == .gone)
            #expect([.notFound, .gone].contains(try await Browser(app).request(.GET, shareURL).status))
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, thumbnail, headers: stranger.auth).status == .notFound)
            #expect(try await client.api(.GET, "/me").status == .unauthorized)

            // The backup copy, put back where it was, cannot be decrypted: its key is gone.
            try await Self.restore(app, assetKey, backup)
            await #expect(throws: BlobError.self) { _ = try await app.blobStore.read(assetKey) }
            try await app.blobStore.delete(assetKey)
            if storage == .s3 { #expect(try await BlobDataKey.query(on: app.db).filter(\.$scope ~~ orders.map(PhotoKeys.scope)).count() == 0) }

            // Signed out, the receipt code opens the request and the receipt; a wrong code opens nothing.
            let status = try await Browser(app).request(.GET, "/api/v1/deletion-requests/\(created.id.uuidString.lowercased())",
                                                        headers: ["X-Receipt-Secret": secret])
            #expect(status.status == .ok && status.body.string.contains(#""status":"completed""#), "\(status.body.string)")
            #expect(try await Self.receipt(app, created.receipt_id, secret: secret + "x").0 == .notFound)
            let (code, body) = try await Self.receipt(app, created.receipt_id, secret: secret)
            let receipt = try #require(body, "receipt answered \(code)")
            #expect(receipt.scope == "account" && receipt.key_destroyed_at != nil)
            #expect(receipt.blobs["selfies"]?.count == 5 && receipt.blobs["thumbnails"]?.count == 10 && receipt.blobs["headshots"]?.count == 7)
            #expect(receipt.blob_count == 22 && (receipt.blobs["headshots"]?.bytes ?? 0) > 0)
            #expect(receipt.records["shares"] == 1 && receipt.records["favourites"] == 1 && receipt.records["descriptors"] == 5)
            #expect(receipt.blob_keys_sha256.count == 64)
            #expect(!String(decoding: try JSONEncoder().encode(receipt.records), as: UTF8.self).contains(user.email))

            // The confirmation went to the address the account had.
            let mail = try await Fixtures.mail(app, to: user.email)
            #expect(mail.contains { $0.subject.hasPrefix("Your data was deleted") && $0.textBody.contains(receipt.receipt_id.uuidString.lowercased()) })
        }
    }

    @Test func deletingOnlyTheSelfiesKeepsTheHeadshotsAndAWholeOrderDeletionTakesThemToo() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await Self.completedOrder(app, user: user, clock: clock, selfies: 4, headshots: 3)
            let id = order.uuidString.lowercased()

            // Refusals: wrong password 403, someone else's order 404, no order 422.
            let wrong = try await Self.request(client, ["scope": "selfies", "order_id": id, "password": "not the password"])
            #expect(wrong.status == .forbidden && wrong.body.string.contains("wrong_password"))
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await Self.request(stranger, ["scope": "order", "order_id": id, "password": Fixtures.password]).status == .notFound)
            #expect(try await Self.request(client, ["scope": "selfies", "password": Fixtures.password]).status == .unprocessableEntity)
            #expect(try await Self.request(client, ["scope": "everything", "password": Fixtures.password]).status == .unprocessableEntity)

            let created = try await Self.create(client, ["scope": "selfies", "order_id": id, "password": Fixtures.password])
            let again = try await Self.request(client, ["scope": "selfies", "order_id": id, "password": Fixtures.password])
            #expect(again.status == .conflict, "one request at a time for the same data")
            #expect(try await Self.worker(app).runDue() == 1)

            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/uploads/").isEmpty)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/thumbs/").isEmpty)
            let uploads = try await UploadAsset.query(on: app.db).filter(\.$order.$id == order).all()
            #expect(uploads.count == 4 && uploads.allSatisfy { $0.status == .deleted && $0.faceDescriptor == nil && $0.originalFilename.isEmpty })
            // The headshots stay and still download.
            let items = try await Self.headshots(client, order)
            #expect(items.count == 3)
            #expect(try await client.browser.request(.GET, try #require(items.first?.links["full"])).status == .ok)
            let (_, receipt) = try await Self.receipt(app, created.receipt_id, secret: try #require(created.receipt_secret))
            #expect(receipt?.key_destroyed_at == nil, "the order's key still protects its headshots")
            #expect(receipt?.blobs["selfies"]?.count == 4 && receipt?.blobs["thumbnails"]?.count == 8 && receipt?.blobs["headshots"]?.count == 0)
            #expect(receipt?.records["descriptors"] == 4)

            // Now the whole order: headshots and links go, the order stays as a deleted tombstone.
            let whole = try await Self.create(client, ["scope": "order", "order_id": id, "password": Fixtures.password])
            #expect(try await Self.worker(app).runDue() == 1)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)
            #expect(try await Order.find(order, on: app.db)?.status == .deleted)
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order).count() == 0)
            #expect(try await Browser(app).request(.GET, try #require(items.first?.links["full"])).status == .gone)
            #expect(try await client.api(.GET, "/orders/\(id)/headshots").status != .ok)
            let (_, orderReceipt) = try await Self.receipt(app, whole.receipt_id, secret: try #require(whole.receipt_secret))
            #expect(orderReceipt?.blobs["headshots"]?.count == 3 && orderReceipt?.key_destroyed_at != nil)
            #expect(try await Self.request(client, ["scope": "order", "order_id": id, "password": Fixtures.password]).status == .conflict)
        }
    }

    @Test func anOrderBeingMadeAndAStaleAPILoginCannotStartADeletion() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let busy = try await Self.request(client, ["scope": "order", "order_id": job.$order.id.uuidString.lowercased(), "password": Fixtures.password])
            #expect(busy.status == .conflict && busy.body.string.contains("order_in_progress"))
            #expect(try await Self.request(client, ["scope": "account", "password": Fixtures.password]).status == .conflict)
            // Finished, the account can go, but only with a login from the last 15 minutes.
            try await Order.query(on: app.db).filter(\.$id == job.$order.id).set(\.$status, to: .failed).update()
            clock.advance(by: 16 * 60)
            let stale = try await Self.request(client, ["scope": "account", "password": Fixtures.password])
            #expect(stale.status == .forbidden && stale.body.string.contains("fresh_login_required"), "\(stale.body.string)")
            #expect(try await User.find(user.requireID(), on: app.db) != nil)
        }
    }

    @Test func aHeldAccountIsSkippedUntilTheHoldIsReleasedThenDeleted() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await Self.completedOrder(app, user: user, clock: clock, selfies: 2, headshots: 2)
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).place(on: .user(user), reason: "court order 12/2026")
            let created = try await Self.create(client, ["scope": "account", "password": Fixtures.password])
            #expect(try await Self.worker(app).runDue() == 0)
            let waiting = try await client.api(.GET, "/deletion-requests/\(created.id.uuidString.lowercased())")
            #expect(waiting.body.string.contains(#""status":"requested""#) && waiting.body.string.contains(#""on_hold":true"#), "\(waiting.body.string)")
            #expect(!waiting.body.string.contains("court order"), "the customer learns that a hold exists, not why")
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").count == 2 * 3 + 2)

            let held = try #require(try await User.find(user.requireID(), on: app.db))
            try await LegalHolds(db: app.db, actor: .system(), now: clock.now()).release(.user(held))
            #expect(try await Self.worker(app).runDue() == 1)
            #expect(try await User.find(user.requireID(), on: app.db) == nil)
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)
        }
    }

    /// Mail queued to the account (not yet sent, or failed for good and keeping its body) goes with it:
    /// only the deletion's own receipt is left for the address.
    @Test func deletingAnAccountDeletesEveryOutgoingMailToItWhateverItsState() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let queued = OutgoingMail(recipient: user.email, subject: "Your headshots are ready", textBody: "private text", at: clock.now())
            queued.runAt = clock.now().addingTimeInterval(3_600)
            try await queued.create(on: app.db)
            let failed = OutgoingMail(recipient: user.email, subject: "Your receipt", textBody: "private receipt", at: clock.now())
            failed.failedAt = clock.now()
            try await failed.create(on: app.db)
            let other = OutgoingMail(recipient: "someone-else@example.com", subject: "Hello", textBody: "kept", at: clock.now())
            try await other.create(on: app.db)

            _ = try await Self.create(client, ["scope": "account", "password": Fixtures.password])
            #expect(try await Self.worker(app).runDue() == 1)
            #expect(try await OutgoingMail.find(queued.id, on: app.db) == nil, "the queued message is gone")
            #expect(try await OutgoingMail.find(failed.id, on: app.db) == nil, "the failed message and its body are gone")
            let left = try await OutgoingMail.query(on: app.db).filter(\.$recipient == user.email).all()
            #expect(left.allSatisfy { $0.subject.hasPrefix("Your data was deleted") }, "only the receipt is left: \(left.map(\.subject))")
            #expect(try await OutgoingMail.find(other.id, on: app.db) != nil, "another address's mail is untouched")
        }
    }

    /// A store that stops answering after `limit` deletions, as a worker process that hangs or is
    /// killed mid-way would: its lease runs out and another worker finishes the request.
    final class StallingStore: BlobStore, @unchecked Sendable {
        let base: any BlobStore
        let limit: Int
        private let lock = NSLock()
        private var deletions = 0

        init(_ base: any BlobStore, limit: Int) { self.base = base; self.limit = limit }

        var deleted: Int { lock.withLock { deletions } }

        func put<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws where Body.Element == ByteBuffer {
            try await base.put(key, body: body, contentType: contentType)
        }
        func get(_ key: BlobKey) async throws -> BlobStream { try await base.get(key) }
        func delete(_ key: BlobKey) async throws {
            let stall = lock.withLock { deletions += 1; return deletions > limit }
            if stall { try await Task.sleep(for: .seconds(300)) }
            try await base.delete(key)
        }
        func list(prefix: String) async throws -> [BlobKey] { try await base.list(prefix: prefix) }
        func exists(_ key: BlobKey) async throws -> Bool { try await base.exists(key) }
        func storedSize(of key: BlobKey) async throws -> Int? { try await base.storedSize(of: key) }
        func destroyScope(_ scope: String) async throws {
            // Keys stay, so the files this worker reaches are deleted one by one (as on a backend without keys).
            for key in try await base.list(prefix: scope + "/") { try await delete(key) }
        }
    }

    @Test func aDeletionWhoseWorkerStallsMidwayIsFinishedByAnotherAndCountsEachFileOnce() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await Self.completedOrder(app, user: user, clock: clock, selfies: 4, headshots: 6)
            let created = try await Self.create(client, ["scope": "order", "order_id": order.uuidString.lowercased(), "password": Fixtures.password])

            let stalling = StallingStore(app.blobStore, limit: 7)
            let first = try Self.worker(app, store: stalling, name: "worker-a")
            let claim = try #require(try await first.claim(now: clock.now()))
            let stuck = Task { try await first.process(claim) }
            #expect(try await eventually(30) { stalling.deleted > 7 }, "the first worker got part-way")
            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").count == 4 * 3 + 6 - 7)

            // Its lease runs out; the second worker takes the request over and finishes it.
            clock.advance(by: DeletionWorker.lease + 1)
            #expect(try await Self.worker(app, name: "worker-b").runDue() == 1)
            stuck.cancel()
            #expect(try await stuck.value == false, "the first worker's late writes are fenced out")

            #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)
            let request = try #require(try await DeletionRequest.find(created.id, on: app.db))
            #expect(request.status == .completed && request.attempts == 2)
            let (_, receipt) = try await Self.receipt(app, created.receipt_id, secret: try #require(created.receipt_secret))
            #expect(receipt?.blob_count == 4 * 3 + 6 && receipt?.blobs["headshots"]?.count == 6 && receipt?.blobs["selfies"]?.count == 4)
        }
    }
}
