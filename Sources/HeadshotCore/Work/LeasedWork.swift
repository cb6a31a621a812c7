import FluentKit
import Foundation
import SQLKit

/// The status rules of rows worked on under a `Lease` with an audit trail: deletion requests and data
/// exports. A claim takes the oldest due row (a new one, a failed one past its backoff, or one whose
/// worker's lease ran out: it died); every move is audited in the same transaction as the row's write.
/// The rows wait as 'requested' or 'failed' and are held as 'processing'.
package struct LeasedWork {
    package typealias Claim = Lease.Claim
    /// The lease was lost: another worker owns the row now.
    package typealias FencedOut = Lease.Lost

    package let subject: String
    package let lease: Lease
    package let worker: String

    package init(table: String, subject: String, lease: TimeInterval, worker: String) {
        self.subject = subject
        self.lease = Lease(Lease.Table(name: table, waiting: ["requested", "failed"], leased: "processing", reclaimsExpired: true,
                                       order: "d.created_at"), duration: lease)
        self.worker = worker
    }

    /// Leases the oldest due row that also meets `eligible` (conditions on the row, named `d`), and
    /// writes the audit event of the claim in the same transaction.
    package func claim(now: Date, eligible: SQLQueryString = "1 = 1", on db: any Database) async throws -> Claim? {
        try await db.transaction { tx in
            guard let (claim, _) = try await lease.claim(by: worker, now: now, eligible: eligible, on: try tx.sql()) else { return nil }
            try await AuditEvent(actor: .system(), action: "\(subject).status_changed", subjectType: subject, subjectID: claim.id,
                                 from: nil, to: lease.table.leased, detail: "attempt \(claim.attempt) by \(worker)", at: now).create(on: tx)
            return claim
        }
    }

    /// Updates the claimed row while the lease is still ours; throws `FencedOut` otherwise.
    package func fenced(_ claim: Claim, _ assignments: SQLQueryString, on db: any Database) async throws {
        try await lease.fenced(claim, set: assignments, on: try db.sql())
    }

    /// Moves the claimed row to `status` (a final one, or back to wait) with `assignments` besides,
    /// releasing the lease and auditing the move, in the caller's transaction.
    package func finish(_ claim: Claim, status: String, _ assignments: SQLQueryString, detail: String?, at now: Date, on db: any Database) async throws {
        try await lease.end(claim, status: status, set: assignments, now: now, on: try db.sql())
        try await AuditEvent(actor: .system(), action: "\(subject).status_changed", subjectType: subject, subjectID: claim.id,
                             from: lease.table.leased, to: status, detail: detail, at: now).create(on: db)
    }

    /// A failed attempt: the row waits `backoff[attempt]` and is tried again.
    package func fail(_ claim: Claim, error: any Error, backoff: [TimeInterval], at now: Date, on db: any Database) async throws {
        let wait = backoff[min(max(claim.attempt, 1), backoff.count) - 1]
        try await finish(claim, status: "failed", "last_error = \(bind: String("\(error)".prefix(500))), run_at = \(bind: now.addingTimeInterval(wait))",
                         detail: String("\(error)".prefix(200)), at: now, on: db)
    }
}
