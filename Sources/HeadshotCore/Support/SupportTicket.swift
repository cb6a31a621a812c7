import FluentKit
import Foundation

package final class SupportTicket: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "support_tickets"
    package static let auditSubject = "ticket"

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @OptionalParent(key: "order_id") package var order: Order?
    @Field(key: "category") package var category: String
    @Field(key: "subject") package var subject: String
    @Field(key: "body") package var body: String
    @Field(key: "status") package var status: TicketStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, userID: UUID, orderID: UUID?, category: String = "other", subject: String, body: String) {
        self.id = id
        self.category = category
        self.$user.id = userID
        self.$order.id = orderID
        self.subject = subject
        self.body = body
        self.status = .open
    }
}
