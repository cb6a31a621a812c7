import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting
@testable import App

/// A real, trivial generator: it "makes" each headshot by recording it, so the worker's handling of
/// progress, failures and shutdown is tested without the renderer.
struct CountingGenerator: Generator {
    let description = "counting test generator"
    let made = NIOLockedValueBox<[UUID: Int]>([:])
    var failFirst = 0
    var reason = "We could not read your photos."
    var pause: Duration = .zero
    let attempts = NIOLockedValueBox(0)

    func generate(_ work: GenerationWork, progress: @escaping @Sendable (Int) async throws -> Void) async throws {
        let attempt = attempts.withLockedValue { $0 += 1; return $0 }
        if attempt <= failFirst { throw GenerationFailure(reason) }
        for done in 1...work.total {
            if pause > .zero { try await Task.sleep(for: pause) }
            made.withLockedValue { $0[work.jobID, default: 0] += 1 }
            try await progress(done)
        }
    }
}

@Suite("Queue worker") struct QueueWorkerTests {
    @Test func aWorkerMakesTheHeadshotsReportsProgressAndCompletesTheOrder() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await JobQueueTests.queuedJob(app, user: user, runAt: clock.now())
            let generator = CountingGenerator()
            let worker = QueueWorker(app: app, generator: generator)
            #expect(try await worker.runOnce())
            #expect(try await worker.runOnce() == false, "nothing else is due")
            let done = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(done.status == .succeeded && done.progressDone == 40 && done.attempts == 1)
            #expect(generator.made.withLockedValue { $0[try! job.requireID()] } == 40)
            #expect(try await JobQueueTests.order(of: job, app)?.status == .completed)
        }
    }

    @Test func aFailingGenerationIsRetriedThenFailsTheOrderWithItsReason() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await JobQueueTests.queuedJob(app, user: user, runAt: clock.now(), maxAttempts: 2)
            let worker = QueueWorker(app: app, generator: CountingGenerator(failFirst: 5, reason: "Too few photos show your face clearly."))
            #expect(try await worker.runOnce())
            #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .queued)
            clock.advance(by: JobQueue.backoff(attempt: 1, jitter: 1) + 1)
            #expect(try await worker.runOnce())
            let failed = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(failed.status == .failed && failed.lastError == "Too few photos show your face clearly.")
            #expect(try await JobQueueTests.order(of: job, app)?.status == .failed)
        }
    }

    @Test func onShutdownAWorkerHandsItsJobBack() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await JobQueueTests.queuedJob(app, user: user, runAt: clock.now())
            let worker = QueueWorker(app: app, generator: CountingGenerator(pause: .milliseconds(200)))
            let running = Task { await worker.run() }
            let started = try await eventually {
                try await GenerationJob.find(job.id, on: app.db)?.status == .running
            }
            #expect(started)
            running.cancel()
            await running.value
            let released = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(released.status == .queued && released.attempts == 0 && released.leaseToken == nil)
            #expect(try await JobQueueTests.order(of: job, app)?.status == .queued)
        }
    }
}
