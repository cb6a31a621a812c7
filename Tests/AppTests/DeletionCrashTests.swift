@testable import BlobStorage
import Fluent
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// A deletion whose `headshot worker` process is SIGKILLed part-way (its keys destroyed, its objects
/// being deleted from S3) is finished by another worker once the lease runs out, and the receipt
/// counts every file exactly once.
@Suite("Deletion under a killed worker", .enabled(if: TestDatabase.postgresAdminURL != nil && ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] != nil,
                                                  "runs against the PostgreSQL and moto that make test starts"))
struct DeletionCrashTests {
    @Test func aDeletionWhoseWorkerIsKilledMidwayIsFinishedByAnotherAndCountsEachFileOnce() async throws {
        try await withTestApp(customize: { DeletionTests.use(.s3, &$0) }) { app, clock in
            guard case .postgres(let url) = app.config.database, case .s3(let settings) = app.config.storage else { throw TestFailure("needs PostgreSQL and S3") }
            let s3 = try #require(app.testServices.configuredStore as? S3BlobStore)
            try await s3.createBucketIfMissing()
            let (client, user) = try await PhotoClient.make(app)
            let order = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 20, headshots: 100)
            let scope = PhotoKeys.scope(order) + "/"
            #expect(try await s3.list(prefix: scope).count == 160)
            let created = try await DeletionTests.create(client, ["scope": "order", "order_id": order.uuidString.lowercased(), "password": Fixtures.password])
            // The child process runs on the real clock; the test app's manual clock is ahead of it.
            try await DeletionRequest.query(on: app.db).filter(\.$id == created.id).set(\.$runAt, to: Date().addingTimeInterval(-1)).update()

            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = url
            environment["DATA_DIR"] = app.config.dataDirectory
            environment["SECRET_KEY"] = String(repeating: "07", count: 32)  // the test app's key: the same data keys open
            environment["STORAGE"] = "s3"
            environment["S3_ENDPOINT"] = settings.endpoint.absoluteString
            environment["S3_BUCKET"] = settings.bucket
            environment["S3_ACCESS_KEY_ID"] = settings.accessKeyID
            environment["S3_SECRET_ACCESS_KEY"] = settings.secretAccessKey
            environment["GENERATOR"] = "none"
            let logs = app.config.dataDirectory + "/logs"
            try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
            let worker = try QueueCrashTests.WorkerProcess(environment: environment, logDirectory: logs, number: 1)
            defer { if worker.process.isRunning { worker.kill(SIGKILL) } }

            // Killed once the keys are gone and the objects are being deleted.
            let midway = try await eventually(60) {
                guard let request = try await DeletionRequest.find(created.id, on: app.db) else { return false }
                return request.keyDestroyedAt != nil || request.status == .completed
            }
            await worker.stop(SIGKILL)
            #expect(midway)
            let left = try await s3.list(prefix: scope).count
            let request = try #require(try await DeletionRequest.find(created.id, on: app.db))
            if request.status == .completed {
                Issue.record("the worker finished (\(left) objects left) before it could be killed; nothing was tested")
                return
            }
            #expect(request.status == .processing && request.inventory != nil, "killed while it held the request")
            #expect(left < 160, "killed part-way: \(left) of 160 objects left")

            // Its lease runs out; a worker here takes the request over from the stored inventory.
            clock.advance(by: DeletionWorker.lease + 1)
            #expect(try await DeletionTests.worker(app, name: "survivor").runDue() == 1)
            #expect(try await s3.list(prefix: scope).isEmpty)
            let done = try #require(try await DeletionRequest.find(created.id, on: app.db))
            #expect(done.status == .completed && (done.attempts ?? 0) == 2)
            let (_, receipt) = try await DeletionTests.receipt(app, created.receipt_id, secret: try #require(created.receipt_secret))
            #expect(receipt?.blob_count == 160 && receipt?.blobs["selfies"]?.count == 20 && receipt?.blobs["thumbnails"]?.count == 40
                    && receipt?.blobs["headshots"]?.count == 100, "each file counted once")
            #expect(receipt?.key_destroyed_at != nil)
        }
    }
}
