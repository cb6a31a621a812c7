import Fluent
import Foundation

/// An in-app message for a user (the bell).
public final class Notification: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "notifications"
    public static let auditSubject = "notification"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "link") public var link: String?
    @Field(key: "status") public var status: NotificationStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, kind: String, title: String, body: String, link: String?) {
        self.id = id
        self.$user.id = userID
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.status = .unread
    }
}
