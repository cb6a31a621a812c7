import FluentKit
import SQLKit
import Foundation

/// A status enum whose legal moves are written once, in `transitions`.
/// Every status change in the product goes through `Transitions.apply`, which refuses an illegal move
/// with `IllegalTransition` and writes the AuditEvent in the same transaction as the change.
package protocol StatusMachine: RawRepresentable, Codable, CaseIterable, Hashable, Sendable where RawValue == String {
    static var transitions: [Self: Set<Self>] { get }
}

extension StatusMachine {
    package func canMove(to next: Self) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// States with no way out.
    package var isFinal: Bool { (Self.transitions[self] ?? []).isEmpty }
}

/// An attempt to move an entity into a state its machine does not allow.
package struct IllegalTransition: Error, CustomStringConvertible, Equatable, Sendable {
    package let subjectType: String
    package let from: String
    package let to: String
    package var description: String { "\(subjectType) cannot move from \(from) to \(to)" }
}

/// A Fluent model whose `status` follows a `StatusMachine`.
package protocol StatusTracked: Model where IDValue == UUID {
    associatedtype Status: StatusMachine
    /// The name used in audit events, e.g. "order".
    static var auditSubject: String { get }
    var status: Status { get set }
    /// Set on every status change, so the time in each state can be measured.
    var statusChangedAt: Date? { get set }
}

/// A status move that is written directly in SQL: the queue's claim, completion, failure, release and
/// reaping are single fenced statements rather than `Audit.transition`. Made only by
/// `StatusMachine.move`, which refuses (at first use) a move its machine does not list, so those
/// statements cannot drift from `transitions` either.
package struct StatusMove<Status: StatusMachine>: Sendable {
    package let from: Status
    package let to: Status

    /// The states as quoted SQL literals (raw values are fixed lower-case identifiers, never input).
    package var fromSQL: SQLQueryString { SQLQueryString("'\(from.rawValue)'") }
    package var toSQL: SQLQueryString { SQLQueryString("'\(to.rawValue)'") }
}

extension StatusMachine {
    package static func move(_ from: Self, _ to: Self) -> StatusMove<Self> {
        precondition(from.canMove(to: to), "\(Self.self) has no move from \(from.rawValue) to \(to.rawValue)")
        return StatusMove(from: from, to: to)
    }
}
