import FluentKit
import BlobStorage
import Foundation
import Imaging
import ServiceLifecycle

/// One worker loop: claims the next job, runs the generator while heartbeating its lease, and
/// records the outcome, fenced by the lease token. `serve` runs one; `headshot worker` processes on
/// other machines run more against the same PostgreSQL database.
package final class QueueWorker: Service, Sendable {
    /// How long an idle worker waits before looking for work again.
    package static let idlePoll: Duration = .seconds(1)

    package let id: String
    package let generator: any Generator
    private let context: DomainContext
    private let store: any BlobStore
    private let metrics: AppMetrics
    private let retention: RetentionPolicy
    private let queueLease: TimeInterval
    private let logger: Logger

    package init(context: DomainContext, store: any BlobStore, metrics: AppMetrics, retention: RetentionPolicy, queueLease: TimeInterval,
                 generator: any Generator, logger: Logger) {
        self.id = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        self.generator = generator
        self.context = context
        self.store = store
        self.metrics = metrics
        self.retention = retention
        self.queueLease = queueLease
        self.logger = logger
    }

    private var clock: any WallClock { context.clock }
    private func database() throws -> any Database { try context.database() }

    /// Emails the customer (and, for failures, admins) once the outcome is committed.
    private func announce(_ finished: JobQueue.Finished) async {
        guard let notification = finished.notification else { return }
        do {
            let db = try database()
            for message in try await OrderNotifications.mail(for: notification, baseURL: context.baseURL.absoluteString, on: db) {
                try await context.mail.enqueue(message, on: db)
            }
        } catch {
            logger.error("could not email notification \(notification.id?.uuidString ?? ""): \(error)")
        }
    }

    private func queue() throws -> JobQueue { JobQueue(db: try database(), lease: queueLease) }

    /// Claims and processes jobs until graceful shutdown (SIGTERM): then it stops claiming and hands
    /// its current job back to the queue without spending an attempt.
    package func run() async throws {
        logger.info("queue worker \(id) started (\(generator.description))")
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var idle = false
            do {
                idle = try await runOnce() == false
            } catch {
                logger.error("queue worker \(id): \(error)")
                idle = true
            }
            if idle { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.idlePoll) } }
        }
        logger.info("queue worker \(id) stopped")
    }

    /// Processes one job if one is due; false when the queue had nothing.
    @discardableResult
    package func runOnce() async throws -> Bool {
        let queue = try self.queue()
        let reaped = try await queue.reapExpiredLeases(now: clock.now())
        if reaped > 0 { metrics.recordJobFailure(code: "lease_expired", count: reaped) }
        guard let claim = try await queue.claim(worker: id, now: clock.now()) else { return false }
        metrics.recordJobWait(clock.now().timeIntervalSince(claim.dueAt))
        try await process(claim)
        return true
    }

    private func process(_ claim: JobQueue.Claim) async throws {
        let queue = try self.queue(), generator = self.generator, heartbeat = queue.heartbeat
        let outputs = JobOutputs(claim: claim, queue: queue, store: store, clock: clock, retention: retention)
        let started = ContinuousClock.now
        do {
            let codes = (claim.payload ?? "").split(separator: ",").map(String.init)
            let remake = claim.kind == GenerationJob.Kind.rerun
            // A re-run names each headshot's preset (repeats included); a first run the chosen presets.
            var planned = GenerationWork(jobID: claim.jobID, orderID: claim.orderID,
                                         presets: remake ? codes.compactMap(StylePreset.init(rawValue:)) : StylePreset.list(codes),
                                         total: claim.total, attempt: claim.attempt, delivered: try await outputs.start(), remake: remake)
            planned.backdrop = try await Order.find(claim.orderID, on: try database())?.backdropColour.flatMap(BackdropColour.init(hex:))
            let work = planned
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await generator.generate(work, output: outputs) }
                group.addTask { [clock] in
                    // Heartbeats until the work ends; a lost lease cancels the work.
                    while true {
                        try await Task.sleep(for: .seconds(heartbeat))
                        guard try await queue.heartbeat(claim, now: clock.now()) else { throw JobQueue.FencedOut(jobID: claim.jobID) }
                    }
                }
                group.addTask {
                    // Graceful shutdown stops the work; the job goes back to the queue (below).
                    try await gracefulShutdown()
                    throw HandBack()
                }
                try await group.next()
                group.cancelAll()
            }
            let delivered = try await GeneratedAsset.query(on: try database()).filter(\.$job.$id == claim.jobID).count()
            guard delivered == claim.total else {
                throw GenerationFailure("We made \(delivered) of your \(claim.total) headshots and will try again.", code: "incomplete")
            }
            let finished = try await queue.complete(claim, now: clock.now())
            metrics.recordJobDuration(ContinuousClock.now - started, outcome: "succeeded")
            try? await outputs.sweep()
            await announce(finished)
        } catch is JobQueue.FencedOut {
            logger.warning("job \(claim.jobID): lease lost; another attempt owns it")
            metrics.recordJobFailure(code: "lease_lost")
        } catch let stop where stop is HandBack || stop is CancellationError {
            // Graceful shutdown, or cancellation once its grace period ran out: the job goes back either way.
            try await queue.release(claim, now: clock.now())
            logger.info("job \(claim.jobID) handed back to the queue on shutdown")
        } catch let failure as GenerationFailure {
            try await fail(claim, code: failure.code, reason: failure.reason, started: started)
        } catch {
            logger.error("job \(claim.jobID) attempt \(claim.attempt) failed: \(error)")
            try await fail(claim, code: "internal", reason: "Something went wrong on our side while making your headshots.", started: started)
        }
    }

    private func fail(_ claim: JobQueue.Claim, code: String, reason: String, started: ContinuousClock.Instant) async throws {
        let finished = try await queue().fail(claim, reason: reason, now: clock.now())
        metrics.recordJobFailure(code: code)
        metrics.recordJobDuration(ContinuousClock.now - started, outcome: finished.final ? "failed" : "retried")
        await announce(finished)
    }
}

/// Graceful shutdown reached a worker in the middle of a job.
private struct HandBack: Error {}
