import BlobStorage
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

@Suite("Queue worker") struct QueueWorkerTests {
    @Test func aWorkerMakesTheHeadshotsReportsProgressAndCompletesTheOrder() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let generator = CountingGenerator()
            let worker = QueueWorker(app: app, generator: generator)
            #expect(try await worker.runOnce())
            #expect(try await worker.runOnce() == false, "nothing else is due")
            let done = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(done.status == .succeeded && done.progressDone == 40 && done.attempts == 1)
            #expect(generator.made.withLockedValue { $0[try! job.requireID()] } == 40)
            #expect(try await Fixtures.order(of: job, app)?.status == .completed)
            let assets = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == job.id).all()
            #expect(assets.map(\.sequence).sorted() == Array(0..<40))
            #expect(try await app.blobStore.list(prefix: JobOutputs.prefix(order: job.$order.id)).count == 40)
            #expect(try await app.blobStore.read(BlobKey(path: assets[0].blobKey)) == Array("headshot \(assets[0].sequence)".utf8))
            let metrics = app.appMetrics.exposition()
            #expect(metrics.contains(#"generation_job_duration_seconds_count{outcome="succeeded"} 1"#), "\(metrics)")
            #expect(metrics.contains("generation_job_wait_seconds_count 1"))
        }
    }

    @Test func aFailingGenerationIsRetriedThenFailsTheOrderWithItsReason() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now(), maxAttempts: 2)
            let worker = QueueWorker(app: app, generator: CountingGenerator(failFirst: 5, reason: "Too few photos show your face clearly."))
            #expect(try await worker.runOnce())
            #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .queued)
            clock.advance(by: JobQueue.backoff(attempt: 1, jitter: 1) + 1)
            #expect(try await worker.runOnce())
            let failed = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(failed.status == .failed && failed.lastError == "Too few photos show your face clearly.")
            #expect(try await Fixtures.order(of: job, app)?.status == .failed)
            #expect(app.appMetrics.exposition().contains(#"generation_job_failures_total{reason="test_failure"} 2"#))
        }
    }

    @Test func onShutdownAWorkerHandsItsJobBack() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let worker = QueueWorker(app: app, generator: CountingGenerator(pause: .milliseconds(200)))
            let group = ServiceGroup(services: [worker], logger: app.logger)
            let running = Task { try await group.run() }
            let started = try await eventually {
                try await GenerationJob.find(job.id, on: app.db)?.status == .running
            }
            #expect(started)
            await group.triggerGracefulShutdown()
            try await running.value
            let released = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(released.status == .queued && released.attempts == 0 && released.leaseToken == nil)
            #expect(try await Fixtures.order(of: job, app)?.status == .queued)
        }
    }

    @Test func aRetryAfterACrashResumesWithoutMakingAHeadshotTwiceAndSweepsOrphans() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let queue = JobQueue(db: app.db)
            // The first attempt delivers 3 headshots, stores a 4th blob and dies before recording it.
            let dead = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            let outputs = JobOutputs(claim: dead, queue: queue, store: app.blobStore, clock: clock, retention: app.config.retention)
            #expect(try await outputs.start().isEmpty)
            for index in 0..<3 {
                try await outputs.deliver(Headshot(index: index, preset: "corporate-grey", jpeg: [1, 2, 3], width: 1, height: 1, identityDistance: nil))
            }
            let orphan = try BlobKey(scope: PhotoKeys.scope(job.$order.id), name: "headshots/orphan-3.jpg")
            try await app.blobStore.put(orphan, bytes: [9], contentType: "image/jpeg")
            clock.advance(by: JobQueue.defaultLease + 1)

            let generator = CountingGenerator()
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            #expect(generator.made.withLockedValue { $0[try! job.requireID()] } == 37, "only the missing headshots are made")
            let sequences = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == job.id).all(\.$sequence)
            #expect(sequences.sorted() == Array(0..<40))
            #expect(try await app.blobStore.exists(orphan) == false, "the dead attempt's unrecorded blob is swept")
            #expect(try await app.blobStore.list(prefix: JobOutputs.prefix(order: job.$order.id)).count == 40)
            // The dead attempt, were it to wake up, can add nothing.
            await #expect(throws: JobQueue.FencedOut.self) {
                try await outputs.deliver(Headshot(index: 5, preset: "corporate-grey", jpeg: [1], width: 1, height: 1, identityDistance: nil))
            }
            #expect(try await app.blobStore.list(prefix: JobOutputs.prefix(order: job.$order.id)).count == 40, "its refused blob is removed")
        }
    }
}
