import Foundation
import SQLKit

/// PostgreSQL does a claim and a completion each in one statement: data-modifying CTEs lease the
/// job (or finish it, fenced) with the lease engine's own statements, move the order and write the
/// audit events (and the notification) atomically in a single round trip. The queue's throughput is
/// bound by round trips, and the general path (used on SQLite, which has no data-modifying CTEs)
/// takes seven to nine per step.
/// Both paths write the same rows; the suite runs on both databases.
extension JobQueue {
    package func claimInOneStatement(worker: String, now: Date) async throws -> Claim? {
        let token = UUID()
        let rows = try await sql.raw("""
            WITH job AS (
                \(leases.claimStatement(by: worker, token: token, now: now, returning: Self.claimColumns, dialect: sql.dialect))
            ), moved AS (
                UPDATE orders SET status = \(Moves.orderProcessing.toSQL), status_changed_at = \(bind: now), updated_at = \(bind: now)
                FROM job WHERE orders.id = job.order_id AND orders.status = \(Moves.orderProcessing.fromSQL) RETURNING orders.id, job.attempts
            ), audit AS (
                INSERT INTO audit_events (id, actor_type, action, subject_type, subject_id, from_state, to_state, detail, created_at)
                SELECT gen_random_uuid(), 'system', 'job.status_changed', 'job', id, \(Moves.claim.fromSQL), \(Moves.claim.toSQL),
                       'attempt ' || attempts || ' by ' || \(bind: worker)::text, \(bind: now) FROM job
                UNION ALL
                SELECT gen_random_uuid(), 'system', 'order.status_changed', 'order', id, \(Moves.orderProcessing.fromSQL), \(Moves.orderProcessing.toSQL),
                       'attempt ' || attempts, \(bind: now) FROM moved
            )
            SELECT job.*, orders.user_id, orders.headshot_count FROM job JOIN orders ON orders.id = job.order_id
            """).all()
        guard let row = rows.first else { return nil }
        return try Self.claim(from: row, token: token, owner: try row.decode(column: "user_id", as: UUID.self),
                              headshots: try row.decode(column: "headshot_count", as: Int?.self) ?? 0)
    }

    package func completeInOneStatement(_ claim: Claim, now: Date) async throws -> Finished {
        let note = OrderNotifications.make(order: claim.orderID, owner: claim.owner, headshots: claim.headshots, succeeded: true, reason: nil, remade: claim.remade)
        let rows = try await sql.raw("""
            WITH job AS (
                \(leases.endStatement(claim.lease, status: Moves.succeed.to.rawValue, set: "last_error = NULL", now: now, returning: "id, order_id"))
            ), moved AS (
                UPDATE orders SET status = \(Moves.orderCompleted.toSQL), status_changed_at = \(bind: now), updated_at = \(bind: now)
                FROM job WHERE orders.id = job.order_id AND orders.status = \(Moves.orderCompleted.fromSQL) RETURNING orders.id
            ), audit AS (
                INSERT INTO audit_events (id, actor_type, action, subject_type, subject_id, from_state, to_state, created_at)
                SELECT gen_random_uuid(), 'system', 'job.status_changed', 'job', id, \(Moves.succeed.fromSQL), \(Moves.succeed.toSQL), \(bind: now) FROM job
                UNION ALL
                SELECT gen_random_uuid(), 'system', 'order.status_changed', 'order', id, \(Moves.orderCompleted.fromSQL), \(Moves.orderCompleted.toSQL), \(bind: now) FROM moved
            ), notified AS (
                INSERT INTO notifications (id, user_id, kind, title, body, link, status, status_changed_at, created_at, updated_at)
                SELECT \(bind: note.id), \(bind: claim.owner), \(bind: note.kind), \(bind: note.title), \(bind: note.body),
                       \(bind: note.link), 'unread', \(bind: now), \(bind: now), \(bind: now) FROM job
            )
            SELECT id FROM job
            """).all()
        guard rows.count == 1 else { throw FencedOut(jobID: claim.jobID) }
        return Finished(final: true, notification: note)
    }
}
