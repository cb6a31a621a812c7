import BlobStorage
import FluentKit
import Foundation
import SQLKit

/// The durable generation queue, kept in the database so no job is lost when a process dies.
///
/// - **Claim**: one statement picks the most urgent due job (priority, then run_at) and leases it
///   with a fresh token: `FOR UPDATE SKIP LOCKED` on PostgreSQL so workers never wait on each
///   other; on SQLite the single UPDATE statement takes the write lock before it reads.
/// - **Heartbeat** extends the lease while work runs; the **reaper** returns expired leases to the queue.
/// - **Fencing**: every later write names the lease token, so a worker that lost its lease (paused,
///   partitioned, presumed dead) can never overwrite a newer attempt.
/// - **Retry** with exponential backoff and jitter; after `max_attempts` the job and its order fail
///   with a reason a person can read.
package struct JobQueue {
    /// How long a claim lasts without a heartbeat, unless QUEUE_LEASE_SECONDS says otherwise.
    package static let defaultLease: TimeInterval = 60

    package struct Claim: Sendable {
        package let jobID: UUID
        package let orderID: UUID
        /// `GenerationJob.Kind`: the order's first run or a re-run.
        package let kind: String
        package let token: UUID
        package let attempt: Int
        package let maxAttempts: Int
        package let payload: String?
        package let total: Int
        /// When the job became due: the wait until this claim is measured from here.
        package let dueAt: Date
        /// The order's owner and size, for the notification when the job finishes.
        package let owner: UUID
        package let headshots: Int

        /// The lease the claim holds, for the engine's fenced writes.
        package var lease: Lease.Claim { Lease.Claim(id: jobID, token: token, attempt: attempt) }

        /// For a re-run, how many headshots it makes again (nil for an order's first run).
        package var remade: Int? { kind == GenerationJob.Kind.rerun ? total : nil }
    }

    /// The worker lost its lease: another attempt owns the job now.
    package struct FencedOut: Error, CustomStringConvertible {
        package let jobID: UUID
        package var description: String { "lease on job \(jobID) was lost; the result is discarded" }
    }

    package let db: any Database
    /// How long a claim lasts without a heartbeat; workers heartbeat four times per lease.
    package var lease: TimeInterval

    package init(db: any Database, lease: TimeInterval = JobQueue.defaultLease) {
        self.db = db
        self.lease = lease
    }

    package var heartbeat: TimeInterval { lease / 4 }

    package var sql: any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { fatalError("the queue needs an SQL database") }
        return sql
    }

    package var isPostgres: Bool { sql.dialect.name == "postgresql" }

    /// Every status move the queue's statements make, checked against the machines' `transitions`.
    package enum Moves {
        package static let claim = JobStatus.move(.queued, .running)
        package static let requeue = JobStatus.move(.running, .queued)
        package static let succeed = JobStatus.move(.running, .succeeded)
        package static let fail = JobStatus.move(.running, .failed)
        package static let orderProcessing = OrderStatus.move(.queued, .processing)
        package static let orderCompleted = OrderStatus.move(.processing, .completed)
        package static let all = [claim, requeue, succeed, fail]
    }

    /// The generation queue's table under the lease engine: due jobs go by priority, then by when they
    /// became due; a job whose lease ran out is returned by the reaper (which moves its order back).
    package static let table = Lease.Table(name: GenerationJob.schema, waiting: [JobStatus.queued.rawValue], leased: JobStatus.running.rawValue,
                                           reclaimsExpired: false, order: "d.priority DESC, d.run_at ASC")
    /// What a claim returns of the job.
    package static let claimColumns = "id, order_id, kind, attempts, max_attempts, payload, progress_total, run_at"

    package var leases: Lease { Lease(Self.table, duration: lease) }

    /// Leases the next due job to `worker`, moving its order to processing. Nil when none is due.
    package func claim(worker: String, now: Date) async throws -> Claim? {
        if isPostgres { return try await claimInOneStatement(worker: worker, now: now) }
        return try await db.transaction { tx in
            guard let (leased, row) = try await leases.claim(by: worker, now: now, returning: Self.claimColumns, on: try tx.sql()) else { return nil }
            let orderID = try row.decode(column: "order_id", as: UUID.self)
            guard let order = try await Order.find(orderID, on: tx) else { return nil }
            let claim = try Self.claim(from: row, token: leased.token, owner: order.$user.id, headshots: order.headshotCount ?? 0)
            try await AuditEvent(actor: .system(), action: "job.status_changed", subjectType: GenerationJob.auditSubject, subjectID: claim.jobID,
                                 from: Moves.claim.from.rawValue, to: Moves.claim.to.rawValue, detail: Self.claimDetail(claim, worker),
                                 at: now).create(on: tx)
            try await moveOrder(claim.orderID, from: [.queued], to: .processing, detail: "attempt \(claim.attempt)", at: now, on: tx)
            return claim
        }
    }

    package static func claimDetail(_ claim: Claim, _ worker: String) -> String { "attempt \(claim.attempt) by \(worker)" }

    package static func claim(from row: any SQLRow, token: UUID, owner: UUID, headshots: Int) throws -> Claim {
        Claim(
            jobID: try row.decode(column: "id", as: UUID.self), orderID: try row.decode(column: "order_id", as: UUID.self),
            kind: try row.decode(column: "kind", as: String.self),
            token: token, attempt: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            payload: try row.decode(column: "payload", as: String?.self), total: try row.decode(column: "progress_total", as: Int.self),
            dueAt: try row.decode(column: "run_at", as: Date.self), owner: owner, headshots: headshots
        )
    }

    /// Extends the lease; false when it was lost (the worker must stop and discard its work).
    package func heartbeat(_ claim: Claim, now: Date) async throws -> Bool {
        try await leases.extend(claim.lease, now: now, on: sql)
    }

    /// The headshot numbers earlier attempts delivered, with progress set to match: where a retry resumes.
    package func resume(_ claim: Claim, now: Date) async throws -> Set<Int> {
        let delivered = try await GeneratedAsset.query(on: db).filter(\.$job.$id == claim.jobID).all(\.$sequence)
        guard try await fencedUpdate(claim, set: "progress_done = \(bind: delivered.count), updated_at = \(bind: now)", on: sql) else {
            throw FencedOut(jobID: claim.jobID)
        }
        return Set(delivered)
    }

    /// Records one stored headshot and counts it as progress, in one transaction fenced by the lease:
    /// a worker that lost its lease cannot add a headshot, and the unique (job, sequence) index refuses
    /// a second copy of one.
    package func recordDelivery(_ claim: Claim, _ headshot: Headshot, blobKey: BlobKey, expiresAt: Date, now: Date) async throws {
        try await db.transaction { tx in
            let sql = try tx.sql()
            guard try await fencedUpdate(claim, set: "progress_done = progress_done + 1, updated_at = \(bind: now)", on: sql) else {
                throw FencedOut(jobID: claim.jobID)
            }
            let asset = GeneratedAsset(orderID: claim.orderID, jobID: claim.jobID, sequence: headshot.index, preset: headshot.preset,
                                       blobKey: blobKey.path, width: headshot.width, height: headshot.height,
                                       identityDistance: headshot.identityDistance, expiresAt: expiresAt)
            asset.shot = headshot.shot
            asset.originCode = headshot.origin.rawValue
            try await asset.create(on: tx)
        }
    }

    /// What finishing an attempt did: whether the job is done for good, and the customer's
    /// notification when it is (written in the same transaction).
    package struct Finished {
        package let final: Bool
        package let notification: Notification?
    }

    /// Marks the job succeeded and its order completed; refused if the lease was lost.
    @discardableResult
    package func complete(_ claim: Claim, now: Date) async throws -> Finished {
        if isPostgres { return try await completeInOneStatement(claim, now: now) }
        return try await db.transaction { tx in
            try await finish(claim, Moves.succeed, error: nil, now: now, on: tx)
            try await moveOrder(claim.orderID, from: [.processing], to: .completed, detail: nil, at: now, on: tx)
            return Finished(final: true, notification: try await OrderNotifications.record(order: claim.orderID, succeeded: true, reason: nil,
                                                                                           remade: claim.remade, on: tx))
        }
    }

    /// Records a failed attempt: back to the queue after a backoff, or failed for good (with the
    /// order) once attempts are used up.
    @discardableResult
    package func fail(_ claim: Claim, reason: String, now: Date, jitter: Double = Double.random(in: 0...1)) async throws -> Finished {
        let final = claim.attempt >= claim.maxAttempts
        return try await db.transaction { tx in
            if final {
                try await finish(claim, Moves.fail, error: reason, now: now, on: tx)
                var creditReturned = false
                if claim.remade != nil {
                    // A re-run that could not be made costs nothing: the credit it spent comes back; the order keeps its headshots.
                    creditReturned = try await Reruns.giveBackCredit(order: claim.orderID, job: claim.jobID, at: now, on: tx)
                } else {
                    try await moveOrder(claim.orderID, from: [.processing], to: .failed, detail: reason, at: now, on: tx)
                }
                return Finished(final: true, notification: try await OrderNotifications.record(order: claim.orderID, succeeded: false, reason: reason,
                                                                                               remade: claim.remade, creditReturned: creditReturned, on: tx))
            } else {
                let runAt = now.addingTimeInterval(Self.backoff(attempt: claim.attempt, jitter: jitter))
                try await requeue(claim, set: "run_at = \(bind: runAt), last_error = \(bind: reason)", jobDetail: "retry after: \(reason)",
                                  orderDetail: "retrying", now: now, on: tx)
                return Finished(final: false, notification: nil)
            }
        }
    }

    /// Hands a job back untouched (the worker is shutting down): queued again at once, and the
    /// interrupted attempt does not count.
    package func release(_ claim: Claim, now: Date) async throws {
        try await db.transaction { tx in
            try await requeue(claim, set: "attempts = attempts - 1", jobDetail: "released on shutdown", orderDetail: "worker shut down", now: now, on: tx)
        }
    }

    /// Returns jobs whose lease expired (their worker died or hung) to the queue. Returns how many.
    @discardableResult
    package func reapExpiredLeases(now: Date) async throws -> Int {
        try await db.transaction { tx in
            let rows = try await leases.reap(now: now, to: Moves.requeue.to.rawValue, set: "last_error = 'the worker stopped responding'",
                                             returning: "id, order_id", on: try tx.sql())
            for row in rows {
                let job = try row.decode(column: "id", as: UUID.self), order = try row.decode(column: "order_id", as: UUID.self)
                try await AuditEvent(actor: .system(), action: "job.status_changed", subjectType: GenerationJob.auditSubject, subjectID: job,
                                     from: Moves.requeue.from.rawValue, to: Moves.requeue.to.rawValue, detail: "lease expired",
                                     at: now).create(on: tx)
                try await moveOrder(order, from: [.processing], to: .queued, detail: "worker lost", at: now, on: tx)
            }
            return rows.count
        }
    }

    /// Exponential backoff, 30 s · 2^(attempt−1), capped at 30 min, with up to ±25 % jitter so jobs
    /// that failed together do not retry together.
    package static func backoff(attempt: Int, jitter: Double) -> TimeInterval {
        let base = min(1800, 30 * pow(2, Double(max(attempt - 1, 0))))
        return base * (0.75 + 0.5 * jitter)
    }

    /// Updates the claimed job only while the claim still holds its lease: the fence every write of a
    /// running job goes through. False when it was lost.
    private func fencedUpdate(_ claim: Claim, set assignments: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        try await leases.update(claim.lease, set: assignments, on: sql)
    }

    /// Puts a running job back in the queue (fenced, with `assignments` besides), audits it, and moves
    /// its order back to queued.
    private func requeue(_ claim: Claim, set assignments: SQLQueryString, jobDetail: String, orderDetail: String, now: Date,
                         on tx: any Database) async throws {
        try await end(claim, Moves.requeue, set: assignments, now: now, on: tx)
        try await AuditEvent(actor: .system(), action: "job.status_changed", subjectType: GenerationJob.auditSubject, subjectID: claim.jobID,
                             from: Moves.requeue.from.rawValue, to: Moves.requeue.to.rawValue, detail: jobDetail, at: now).create(on: tx)
        try await moveOrder(claim.orderID, from: [.processing], to: .queued, detail: orderDetail, at: now, on: tx)
    }

    private func finish(_ claim: Claim, _ move: StatusMove<JobStatus>, error: String?, now: Date, on tx: any Database) async throws {
        try await end(claim, move, set: "last_error = \(bind: error)", now: now, on: tx)
        try await AuditEvent(actor: .system(), action: "job.status_changed", subjectType: GenerationJob.auditSubject, subjectID: claim.jobID,
                             from: move.from.rawValue, to: move.to.rawValue, detail: error, at: now).create(on: tx)
    }

    /// Releases the lease and makes `move`, fenced: `FencedOut` when the lease was lost.
    private func end(_ claim: Claim, _ move: StatusMove<JobStatus>, set assignments: SQLQueryString, now: Date, on tx: any Database) async throws {
        do {
            try await leases.end(claim.lease, status: move.to.rawValue, set: assignments, now: now, on: try tx.sql())
        } catch is Lease.Lost {
            throw FencedOut(jobID: claim.jobID)
        }
    }

    /// Moves the order along with its job, audited; an order already elsewhere (refunded meanwhile) is left alone.
    private func moveOrder(_ id: UUID, from: Set<OrderStatus>, to next: OrderStatus, detail: String?, at now: Date, on tx: any Database) async throws {
        guard let order = try await Order.find(id, on: tx), from.contains(order.status) else { return }
        try await Audit.transition(order, to: next, by: .system(), detail: detail, at: now, on: tx)
    }
}
