import FluentKit
import FluentSQL
import Foundation

/// Writes audit events and performs status changes, each change with its event in one transaction.
package enum Audit {
    /// Records something that happened without a status change (a login, a refused webhook…).
    package static func record(_ action: String, subjectType: String, subjectID: UUID?, by actor: AuditActor,
                              detail: String? = nil, at time: Date, on db: any Database) async throws {
        try await AuditEvent(actor: actor, action: action, subjectType: subjectType, subjectID: subjectID,
                             detail: detail, at: time).create(on: db)
    }

    /// Moves `model` to `next` if its machine allows it, writing the AuditEvent in the same transaction.
    /// The row is updated only while it still has the status this process read, so two processes racing
    /// over the same move cannot both win: the loser gets `ConcurrentTransition` and nothing is written.
    package static func transition<M: StatusTracked>(
        _ model: M, to next: M.Status, by actor: AuditActor, detail: String? = nil,
        at time: Date, on db: any Database
    ) async throws {
        let from = model.status
        guard from.canMove(to: next) else {
            throw IllegalTransition(subjectType: M.auditSubject, from: from.rawValue, to: next.rawValue)
        }
        guard let id = model.id else { throw ConcurrentTransition(subjectType: M.auditSubject) }
        try await db.transaction { tx in
            let sql = try tx.sql()
            let moved = try await sql.update(M.schema)
                .set("status", to: next.rawValue)
                .set("status_changed_at", to: time)
                .set("updated_at", to: time)
                .where("id", .equal, id)
                .where("status", .equal, from.rawValue)
                .returning("id")
                .all()
            guard moved.count == 1 else { throw ConcurrentTransition(subjectType: M.auditSubject) }
            try await AuditEvent(actor: actor, action: "\(M.auditSubject).status_changed", subjectType: M.auditSubject,
                                 subjectID: id, from: from.rawValue, to: next.rawValue, detail: detail, at: time).create(on: tx)
        }
        model.status = next
        model.statusChangedAt = time
    }
}

/// Another process changed the object's status first.
package struct ConcurrentTransition: Error, CustomStringConvertible, Sendable {
    package let subjectType: String
    package var description: String { "\(subjectType) was changed by another request" }
}
