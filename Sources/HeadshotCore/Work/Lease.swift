import FluentKit
import Foundation
import SQLKit

/// The one lease engine: every table that workers take rows from one at a time — generation jobs,
/// deletion requests, data exports, outgoing mail — is claimed, fenced, given back and reaped here.
///
/// - **Claim**: one UPDATE leases the next due row to a worker with a fresh token and counts the
///   attempt; its inner SELECT takes `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers never wait on
///   each other, and on SQLite the statement holds the write lock from its read to its write.
/// - **Fencing**: every later write names the token (`WHERE id = … AND lease_token = … AND status =
///   leased`), so a worker that lost its lease (paused, partitioned, presumed dead) changes nothing.
/// - **Expiry**: a lease not extended runs out; the row is then claimable again (`reclaimsExpired`) or
///   returned by `reap` (the job queue, which moves the order back as it does so).
/// - **Give-back**: `end` releases the lease and moves the row to its next status in one fenced write.
///
/// Every leased table has the same columns: `status`, `run_at`, `attempts`, `lease_owner`,
/// `lease_token`, `lease_expires_at`, `status_changed_at`, `updated_at`, `created_at`. The status
/// rules (which moves are allowed, what else moves with them, what is audited) live with each table's
/// owner on top of this.
package struct Lease: Sendable {
    /// One leased table: its name and the statuses the engine moves rows between.
    package struct Table: Sendable {
        package let name: String
        /// Statuses a row waits in; it is due once `run_at` has passed (or is not set).
        package let waiting: [String]
        /// The status of a row while a worker holds it.
        package let leased: String
        /// Whether a row whose lease ran out is claimed again directly. Where something else must move
        /// with it (a job's order), `reap` returns it instead.
        package let reclaimsExpired: Bool
        /// Which due row goes first.
        package let order: String

        package init(name: String, waiting: [String], leased: String, reclaimsExpired: Bool, order: String) {
            self.name = name
            self.waiting = waiting
            self.leased = leased
            self.reclaimsExpired = reclaimsExpired
            self.order = order
        }
    }

    /// A row held by this worker: the fencing token names it in every later write.
    package struct Claim: Sendable, Equatable {
        package let id: UUID
        package let token: UUID
        package let attempt: Int

        package init(id: UUID, token: UUID, attempt: Int) {
            self.id = id
            self.token = token
            self.attempt = attempt
        }
    }

    /// The lease was lost: another worker holds the row now, and this one's write was refused.
    package struct Lost: Error, CustomStringConvertible {
        package let table: String
        package let id: UUID
        package var description: String { "the lease on \(table) \(id) was lost" }
    }

    package let table: Table
    /// How long a claim lasts unless it is extended.
    package let duration: TimeInterval

    package init(_ table: Table, duration: TimeInterval) {
        self.table = table
        self.duration = duration
    }

    /// Whether a row is due (meeting `eligible`), read without writing: a claim is an UPDATE, which on
    /// SQLite takes the database's write lock even when no row matches, so a sender that polls while idle
    /// looks first and claims only when there is something to take.
    package func hasDue(now: Date, eligible: SQLQueryString = "1 = 1", on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("SELECT d.id FROM \(unsafeRaw: table.name) d WHERE \(due(now: now)) AND \(eligible) LIMIT 1").all()
        return !rows.isEmpty
    }

    /// The condition on a row (named `d`) that makes it claimable now.
    private func due(now: Date) -> SQLQueryString {
        let waiting = table.waiting.map { "'\($0)'" }.joined(separator: ", ")
        let expired: SQLQueryString = table.reclaimsExpired
            ? " OR (d.status = \(bind: table.leased) AND d.lease_expires_at < \(bind: now))" : ""
        return "((d.status IN (\(unsafeRaw: waiting)) AND (d.run_at IS NULL OR d.run_at <= \(bind: now)))\(expired))"
    }

    /// The statement that leases the next due row meeting `eligible` (conditions on the row, named
    /// `d`) to `worker` (host and process, kept in `lease_owner`) with `token`, returning `returning`.
    /// Run alone by `claim`, or as the first step of a data-modifying CTE that moves more rows in the
    /// same statement (the job queue on PostgreSQL).
    package func claimStatement(by worker: String, token: UUID, now: Date, eligible: SQLQueryString = "1 = 1", returning: String = "id, attempts",
                                dialect: any SQLDialect) -> SQLQueryString {
        let lock: SQLQueryString = dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        return """
            UPDATE \(unsafeRaw: table.name) SET status = \(bind: table.leased), lease_owner = \(bind: worker), lease_token = \(bind: token),
                lease_expires_at = \(bind: now.addingTimeInterval(duration)), attempts = COALESCE(attempts, 0) + 1,
                status_changed_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = (
                SELECT d.id FROM \(unsafeRaw: table.name) d
                WHERE \(due(now: now))
                  AND \(eligible)
                ORDER BY \(unsafeRaw: table.order) LIMIT 1\(lock))
            RETURNING \(unsafeRaw: returning)
            """
    }

    /// Leases the next due row; nil when none is due. `returning` must include `id` and `attempts`;
    /// the row comes back for the caller's other columns.
    package func claim(by worker: String, now: Date, eligible: SQLQueryString = "1 = 1", returning: String = "id, attempts",
                       on sql: any SQLDatabase) async throws -> (claim: Claim, row: any SQLRow)? {
        let token = UUID()
        let rows = try await sql.raw(claimStatement(by: worker, token: token, now: now, eligible: eligible, returning: returning, dialect: sql.dialect)).all()
        guard let row = rows.first else { return nil }
        return (try claim(from: row, token: token), row)
    }

    /// The claim a row returned by `claimStatement` stands for.
    package func claim(from row: any SQLRow, token: UUID) throws -> Claim {
        Claim(id: try row.decode(column: "id", as: UUID.self), token: token, attempt: try row.decode(column: "attempts", as: Int.self))
    }

    /// Writes `assignments` to the claimed row while the lease is still the claim's: the fence every
    /// write of held work goes through. False when the lease was lost (nothing was written).
    package func update(_ claim: Claim, set assignments: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("UPDATE \(unsafeRaw: table.name) SET \(assignments) WHERE \(held(claim)) RETURNING id").all()
        return rows.count == 1
    }

    /// Like `update`, throwing `Lost` when the lease was lost.
    package func fenced(_ claim: Claim, set assignments: SQLQueryString, on sql: any SQLDatabase) async throws {
        guard try await update(claim, set: assignments, on: sql) else { throw Lost(table: table.name, id: claim.id) }
    }

    /// Extends the lease by its duration from `now` (a heartbeat); false when it was lost.
    package func extend(_ claim: Claim, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await update(claim, set: "lease_expires_at = \(bind: now.addingTimeInterval(duration)), updated_at = \(bind: now)", on: sql)
    }

    /// The fenced statement that releases the lease and moves the row to `status` (a final one, or
    /// back to waiting), with `assignments` besides, returning `returning`: no row when the lease was lost.
    package func endStatement(_ claim: Claim, status: String, set assignments: SQLQueryString? = nil, now: Date,
                              returning: String = "id") -> SQLQueryString {
        "UPDATE \(unsafeRaw: table.name) SET \(released(to: status, now: now, set: assignments)) WHERE \(held(claim)) RETURNING \(unsafeRaw: returning)"
    }

    /// Runs `endStatement`; throws `Lost` when the lease was lost.
    package func end(_ claim: Claim, status: String, set assignments: SQLQueryString? = nil, now: Date, on sql: any SQLDatabase) async throws {
        guard try await sql.raw(endStatement(claim, status: status, set: assignments, now: now)).all().count == 1 else {
            throw Lost(table: table.name, id: claim.id)
        }
    }

    /// Returns every row whose lease ran out to `status` (`assignments` besides) and gives back the
    /// rows it moved, `returning` their columns: for tables that do not reclaim expired rows directly.
    package func reap(now: Date, to status: String, set assignments: SQLQueryString? = nil, returning: String = "id",
                      on sql: any SQLDatabase) async throws -> [any SQLRow] {
        try await sql.raw("""
            UPDATE \(unsafeRaw: table.name) SET \(released(to: status, now: now, set: assignments))
            WHERE status = \(bind: table.leased) AND lease_expires_at < \(bind: now) RETURNING \(unsafeRaw: returning)
            """).all()
    }

    /// The fence: the row is the claim's and its lease was not lost.
    private func held(_ claim: Claim) -> SQLQueryString {
        "id = \(bind: claim.id) AND lease_token = \(bind: claim.token) AND status = \(bind: table.leased)"
    }

    /// The assignments that release a lease and move the row to `status`, `assignments` besides.
    private func released(to status: String, now: Date, set assignments: SQLQueryString?) -> SQLQueryString {
        let extra: SQLQueryString = assignments.map { (more: SQLQueryString) -> SQLQueryString in ", \(more)" } ?? ""
        return """
            status = \(bind: status), lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                status_changed_at = \(bind: now), updated_at = \(bind: now)\(extra)
            """
    }
}
