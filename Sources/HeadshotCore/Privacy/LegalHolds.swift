import FluentKit
import Foundation

/// Placing and releasing legal holds on an account or an order, each an audit event with the actor.
/// Retention skips held data; releasing a hold lets the next retention run delete what is overdue.
package struct LegalHolds {
    package enum Target {
        case user(User)
        case order(Order)
    }

    package let db: any Database
    package let actor: AuditActor
    package let now: Date

    package init(db: any Database, actor: AuditActor, now: Date) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    package static let reasonLength = 3...500
    package static let reasonProblem = "Give the hold's reason in 3–500 characters."

    package static func problem(with reason: String) -> String? { InputRules.problem(reason, reasonLength, tooShort: reasonProblem) }

    package func place(on target: Target, reason raw: String) async throws {
        let reason = InputRules.trimmed(raw)
        if let problem = Self.problem(with: raw) { throw Failure(.invalid, problem) }
        try await set(target, reason: reason, action: "hold_placed")
    }

    package func release(_ target: Target) async throws {
        try await set(target, reason: nil, action: "hold_released")
    }

    /// Orders retention must keep: held ones, and every order of a held account.
    package static func heldOrders(on db: any Database) async throws -> [UUID] {
        let heldUsers = try await User.query(on: db).filter(\.$legalHoldAt != nil).all(\.$id)
        let held = try await Order.query(on: db).group(.or) { group in
            group.filter(\.$legalHoldAt != nil)
            if !heldUsers.isEmpty { group.filter(\.$user.$id ~~ heldUsers) }
        }.all(\.$id)
        return held
    }

    /// Whether a hold covers this order (its own, or its account's).
    package static func isHeld(_ order: Order, on db: any Database) async throws -> Bool {
        if order.legalHoldAt != nil { return true }
        return try await User.find(order.$user.id, on: db)?.legalHoldAt != nil
    }

    /// Whether a hold covers the order with this id (its own, or its account's), in one read: for
    /// callers that hold only an id, such as the store guarding every deletion (`GuardedBlobStore`).
    package static func isHeld(order orderID: UUID, on db: any Database) async throws -> Bool {
        try await !db.sql().raw("""
            SELECT 1 AS held FROM orders o LEFT JOIN users u ON u.id = o.user_id
            WHERE o.id = \(bind: orderID) AND (o.legal_hold_at IS NOT NULL OR u.legal_hold_at IS NOT NULL)
            """).all().isEmpty
    }

    private func set(_ target: Target, reason: String?, action: String) async throws {
        try await db.transaction { tx in
            switch target {
            case .user(let user):
                user.legalHoldReason = reason
                user.legalHoldAt = reason == nil ? nil : now
                try await user.save(on: tx)
                try await Audit.record("user.\(action)", subjectType: "user", subjectID: user.id, by: actor, detail: reason, at: now, on: tx)
            case .order(let order):
                order.legalHoldReason = reason
                order.legalHoldAt = reason == nil ? nil : now
                try await order.save(on: tx)
                try await Audit.record("order.\(action)", subjectType: Order.auditSubject, subjectID: order.id, by: actor, detail: reason, at: now, on: tx)
            }
        }
    }
}
