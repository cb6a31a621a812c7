import FluentKit
import Foundation

/// An in-app message for a user (the bell).
package final class Notification: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "notifications"
    package static let auditSubject = "notification"

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Field(key: "kind") package var kind: String
    @Field(key: "title") package var title: String
    @Field(key: "body") package var body: String
    @OptionalField(key: "link") package var link: String?
    @Field(key: "status") package var status: NotificationStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, userID: UUID, kind: String, title: String, body: String, link: String?) {
        self.id = id
        self.$user.id = userID
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.status = .unread
    }
}
