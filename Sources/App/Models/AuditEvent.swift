import Fluent
import Foundation

/// One thing that happened: who did what to which object, and (for status changes) from what to what.
/// Audit rows carry no foreign keys on purpose: they must outlive the objects they describe.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID public var id: UUID?
    @Field(key: "actor_type") public var actorType: AuditActor.Kind
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "action") public var action: String
    @Field(key: "subject_type") public var subjectType: String
    @OptionalField(key: "subject_id") public var subjectID: UUID?
    @OptionalField(key: "from_state") public var fromState: String?
    @OptionalField(key: "to_state") public var toState: String?
    @OptionalField(key: "request_id") public var requestID: String?
    @OptionalField(key: "detail") public var detail: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(actor: AuditActor, action: String, subjectType: String, subjectID: UUID?,
                from: String? = nil, to: String? = nil, detail: String? = nil, at time: Date) {
        self.actorType = actor.kind
        self.actorID = actor.id
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.fromState = from
        self.toState = to
        self.requestID = actor.requestID
        self.detail = detail
        self.createdAt = time
    }
}

/// Who caused a change, and in which request.
public struct AuditActor: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case user, system, webhook, anonymous
    }
    public var kind: Kind
    public var id: UUID?
    public var requestID: String?

    public init(kind: Kind, id: UUID? = nil, requestID: String? = nil) {
        self.kind = kind
        self.id = id
        self.requestID = requestID
    }

    public static func user(_ id: UUID?, requestID: String? = nil) -> AuditActor { .init(kind: .user, id: id, requestID: requestID) }
    public static func system(_ requestID: String? = nil) -> AuditActor { .init(kind: .system, requestID: requestID) }
}
