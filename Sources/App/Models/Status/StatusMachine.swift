import Fluent
import Foundation

/// A status enum whose legal moves are written once, in `transitions`.
/// Every status change in the product goes through `Transitions.apply`, which refuses an illegal move
/// with `IllegalTransition` and writes the AuditEvent in the same transaction as the change.
public protocol StatusMachine: RawRepresentable, Codable, CaseIterable, Hashable, Sendable where RawValue == String {
    static var transitions: [Self: Set<Self>] { get }
}

extension StatusMachine {
    public func canMove(to next: Self) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// States with no way out.
    public var isFinal: Bool { (Self.transitions[self] ?? []).isEmpty }
}

/// An attempt to move an entity into a state its machine does not allow.
public struct IllegalTransition: Error, CustomStringConvertible, Equatable, Sendable {
    public let subjectType: String
    public let from: String
    public let to: String
    public var description: String { "\(subjectType) cannot move from \(from) to \(to)" }
}

/// A Fluent model whose `status` follows a `StatusMachine`.
public protocol StatusTracked: Model where IDValue == UUID {
    associatedtype Status: StatusMachine
    /// The name used in audit events, e.g. "order".
    static var auditSubject: String { get }
    var status: Status { get set }
    /// Set on every status change, so the time in each state can be measured.
    var statusChangedAt: Date? { get set }
}
