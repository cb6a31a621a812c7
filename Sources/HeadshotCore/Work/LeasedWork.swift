import FluentKit
import Foundation
import SQLKit

/// Rows of a table worked on by one worker at a time under a lease, like the generation queue's
/// jobs: deletion requests and data exports. A claim leases the oldest due row (a new one, a failed
/// one past its backoff, or one whose worker's lease ran out: it died) with a fresh token —
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL so workers never wait on each other, one UPDATE on SQLite.
/// Every later write names the token, so a worker that lost its lease cannot overwrite the one that
/// took over. The table has the columns `status` ('requested', 'processing', 'failed' and finals),
/// `run_at`, `attempts`, `lease_owner`, `lease_token`, `lease_expires_at`, `status_changed_at`,
/// `updated_at`, `created_at`.
package struct LeasedWork {
    package struct Claim: Sendable {
        package let id: UUID
        package let token: UUID
        package let attempt: Int
    }

    /// The lease was lost: another worker owns the row now.
    package struct FencedOut: Error {}

    package let table: String
    package let subject: String
    package let lease: TimeInterval
    package let worker: String

    /// Leases the oldest due row that also meets `eligible` (conditions on the row, named `d`), and
    /// writes the audit event of the claim in the same transaction.
    package func claim(now: Date, eligible: SQLQueryString = "1 = 1", on db: any Database) async throws -> Claim? {
        let token = UUID()
        return try await db.transaction { tx in
            let sql = try tx.sql()
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await sql.raw("""
                UPDATE \(unsafeRaw: table) SET status = 'processing', lease_owner = \(bind: worker), lease_token = \(bind: token),
                    lease_expires_at = \(bind: now.addingTimeInterval(lease)), attempts = COALESCE(attempts, 0) + 1,
                    status_changed_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = (
                    SELECT d.id FROM \(unsafeRaw: table) d
                    WHERE ((d.status IN ('requested', 'failed') AND (d.run_at IS NULL OR d.run_at <= \(bind: now)))
                           OR (d.status = 'processing' AND d.lease_expires_at < \(bind: now)))
                      AND \(eligible)
                    ORDER BY d.created_at LIMIT 1\(lock))
                RETURNING id, attempts
                """).all()
            guard let row = rows.first else { return nil }
            let claim = Claim(id: try row.decode(column: "id", as: UUID.self), token: token, attempt: try row.decode(column: "attempts", as: Int.self))
            try await AuditEvent(actor: .system(), action: "\(subject).status_changed", subjectType: subject, subjectID: claim.id,
                                 from: nil, to: "processing", detail: "attempt \(claim.attempt) by \(worker)", at: now).create(on: tx)
            return claim
        }
    }

    /// Updates the claimed row while the lease is still ours; throws `FencedOut` otherwise.
    package func fenced(_ claim: Claim, _ assignments: SQLQueryString, on db: any Database) async throws {
        guard try await update(claim, assignments, on: try db.sql()) else { throw FencedOut() }
    }

    /// Moves the claimed row to `status` (a final one, or back to wait) with `assignments` besides,
    /// releasing the lease and auditing the move, in the caller's transaction.
    package func finish(_ claim: Claim, status: String, _ assignments: SQLQueryString, detail: String?, at now: Date, on db: any Database) async throws {
        try await fenced(claim, """
            status = \(bind: status), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                status_changed_at = \(bind: now), updated_at = \(bind: now), \(assignments)
            """, on: db)
        try await AuditEvent(actor: .system(), action: "\(subject).status_changed", subjectType: subject, subjectID: claim.id,
                             from: "processing", to: status, detail: detail, at: now).create(on: db)
    }

    /// A failed attempt: the row waits `backoff[attempt]` and is tried again.
    package func fail(_ claim: Claim, error: any Error, backoff: [TimeInterval], at now: Date, on db: any Database) async throws {
        let wait = backoff[min(max(claim.attempt, 1), backoff.count) - 1]
        try await finish(claim, status: "failed", "last_error = \(bind: String("\(error)".prefix(500))), run_at = \(bind: now.addingTimeInterval(wait))",
                         detail: String("\(error)".prefix(200)), at: now, on: db)
    }

    private func update(_ claim: Claim, _ assignments: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE \(unsafeRaw: table) SET \(assignments)
            WHERE id = \(bind: claim.id) AND lease_token = \(bind: claim.token) AND status = 'processing' RETURNING id
            """).all()
        return rows.count == 1
    }
}
