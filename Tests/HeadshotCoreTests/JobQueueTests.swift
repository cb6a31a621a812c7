import BlobStorage
import FluentKit
import Foundation
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// The database queue with an injected clock: leases, heartbeats, the reaper, fencing, backoff,
/// attempts, priority and one active job per order, on SQLite and PostgreSQL.
@Suite("Generation queue") struct JobQueueTests {
    @Test func professionalOrdersAreClaimedFirstThenTheOldestAndNothingBeforeItIsDue() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app), now = clock.now()
            let basicOld = try await Fixtures.queuedJob(app, user: user, priority: 0, runAt: now.addingTimeInterval(-300))
            let basicNew = try await Fixtures.queuedJob(app, user: user, priority: 0, runAt: now.addingTimeInterval(-60))
            let pro = try await Fixtures.queuedJob(app, user: user, priority: 10, runAt: now.addingTimeInterval(-10))
            try await Fixtures.queuedJob(app, user: user, priority: 10, runAt: now.addingTimeInterval(600))  // not due yet
            let queue = JobQueue(db: app.db)
            let order = try await [queue.claim(worker: "w1", now: now), queue.claim(worker: "w1", now: now), queue.claim(worker: "w1", now: now)]
            #expect(order.map { $0?.jobID } == [pro.id, basicOld.id, basicNew.id])
            #expect(try await queue.claim(worker: "w1", now: now) == nil)
            #expect(try await Fixtures.order(of: pro, app)?.status == .processing)
        }
    }

    @Test func anExpiredLeaseReturnsTheJobAndTheOldWorkerIsFencedOut() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let queue = JobQueue(db: app.db)
            let stale = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            clock.advance(by: 50)
            #expect(try await queue.heartbeat(stale, now: clock.now()), "a live worker extends its lease")
            clock.advance(by: 50)
            #expect(try await queue.reapExpiredLeases(now: clock.now()) == 0, "the heartbeat kept it alive")
            clock.advance(by: JobQueue.defaultLease + 1)
            #expect(try await queue.reapExpiredLeases(now: clock.now()) == 1)
            #expect(try await Fixtures.order(of: job, app)?.status == .queued)

            let fresh = try #require(try await queue.claim(worker: "w2", now: clock.now()))
            #expect(fresh.jobID == job.id && fresh.attempt == 2 && fresh.token != stale.token)
            // The first worker wakes up and tries to report: every write is refused.
            #expect(try await queue.heartbeat(stale, now: clock.now()) == false)
            let key = try BlobKey(scope: "order-x", name: "headshots/0.jpg")
            let headshot = Headshot(index: 0, preset: "corporate-grey", jpeg: [1], width: 1, height: 1, identityDistance: nil)
            await #expect(throws: JobQueue.FencedOut.self) {
                try await queue.recordDelivery(stale, headshot, blobKey: key, expiresAt: clock.now(), now: clock.now())
            }
            await #expect(throws: JobQueue.FencedOut.self) { try await queue.complete(stale, now: clock.now()) }
            await #expect(throws: JobQueue.FencedOut.self) { try await queue.fail(stale, reason: "late", now: clock.now()) }

            try await queue.recordDelivery(fresh, headshot, blobKey: key, expiresAt: clock.now(), now: clock.now())
            await #expect(throws: (any Error).self, "the same headshot number cannot be recorded twice") {
                try await queue.recordDelivery(fresh, headshot, blobKey: key, expiresAt: clock.now(), now: clock.now())
            }
            try await queue.complete(fresh, now: clock.now())
            let done = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(done.status == .succeeded && done.progressDone == 1 && done.leaseToken == nil)
            #expect(try await GeneratedAsset.query(on: app.db).count() == 1)
            #expect(try await Fixtures.order(of: job, app)?.status == .completed)
        }
    }

    @Test func failedAttemptsBackOffThenFailTheOrderWithAReason() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now(), maxAttempts: 2)
            let queue = JobQueue(db: app.db)
            let first = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            #expect(try await queue.fail(first, reason: "renderer crashed", now: clock.now(), jitter: 0.5).final == false)
            #expect(try await Fixtures.order(of: job, app)?.status == .queued)
            // Backoff for attempt 1 is 30 s (±25 % jitter; 0.5 is the middle).
            clock.advance(by: 29)
            #expect(try await queue.claim(worker: "w1", now: clock.now()) == nil)
            clock.advance(by: 2)
            let second = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            #expect(second.attempt == 2)
            #expect(try await queue.fail(second, reason: "the photos could not be read", now: clock.now()).final == true)

            let failed = try #require(try await GenerationJob.find(job.id, on: app.db))
            #expect(failed.status == .failed && failed.lastError == "the photos could not be read" && failed.attempts == 2)
            #expect(try await Fixtures.order(of: job, app)?.status == .failed)
            #expect(try await queue.claim(worker: "w1", now: clock.now().addingTimeInterval(3600)) == nil)
            #expect(JobQueue.backoff(attempt: 1, jitter: 0) == 22.5 && JobQueue.backoff(attempt: 3, jitter: 1) == 150)
            #expect(JobQueue.backoff(attempt: 20, jitter: 0.5) == 1800)
        }
    }

    @Test func theOrderLifecycleIsAuditedStateByState() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let queue = JobQueue(db: app.db)
            let claim = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            clock.advance(by: 90)
            try await queue.complete(claim, now: clock.now())
            let moves = try await AuditEvent.query(on: app.db).filter(\.$subjectID == job.$order.id).filter(\.$action == "order.status_changed")
                .sort(\.$createdAt).all()
            #expect(moves.map { "\($0.fromState ?? "")→\($0.toState ?? "")" } == ["queued→processing", "processing→completed"])
            #expect(moves[1].createdAt.timeIntervalSince(moves[0].createdAt) == 90, "time in processing is auditable")
        }
    }

    @Test func anOrderCanHaveOnlyOneActiveJob() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let second = GenerationJob(orderID: job.$order.id, kind: "generate", priority: 0, runAt: clock.now(), total: 40)
            await #expect(throws: (any Error).self) { try await second.create(on: app.db) }
            // Once the first is finished, a re-run may queue a new one.
            let queue = JobQueue(db: app.db)
            let claim = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            try await queue.complete(claim, now: clock.now())
            let rerun = GenerationJob(orderID: job.$order.id, kind: "generate", priority: 0, runAt: clock.now(), total: 40)
            try await rerun.create(on: app.db)
            #expect(try await GenerationJob.query(on: app.db).count() == 2)
        }
    }
}
