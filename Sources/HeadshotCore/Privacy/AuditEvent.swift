import FluentKit
import Foundation

/// One thing that happened: who did what to which object, and (for status changes) from what to what.
/// Audit rows carry no foreign keys on purpose: they must outlive the objects they describe.
package final class AuditEvent: Model, @unchecked Sendable {
    package static let schema = "audit_events"

    @ID package var id: UUID?
    @Field(key: "actor_type") package var actorType: AuditActor.Kind
    @OptionalField(key: "actor_id") package var actorID: UUID?
    @Field(key: "action") package var action: String
    @Field(key: "subject_type") package var subjectType: String
    @OptionalField(key: "subject_id") package var subjectID: UUID?
    @OptionalField(key: "from_state") package var fromState: String?
    @OptionalField(key: "to_state") package var toState: String?
    @OptionalField(key: "request_id") package var requestID: String?
    @OptionalField(key: "detail") package var detail: String?
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(actor: AuditActor, action: String, subjectType: String, subjectID: UUID?,
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
package struct AuditActor: Sendable, Equatable {
    package enum Kind: String, Codable, Sendable {
        case user, system, webhook, anonymous
    }
    package var kind: Kind
    package var id: UUID?
    package var requestID: String?

    package init(kind: Kind, id: UUID? = nil, requestID: String? = nil) {
        self.kind = kind
        self.id = id
        self.requestID = requestID
    }

    package static func user(_ id: UUID?, requestID: String? = nil) -> AuditActor { .init(kind: .user, id: id, requestID: requestID) }
    package static func system(_ requestID: String? = nil) -> AuditActor { .init(kind: .system, requestID: requestID) }
}
