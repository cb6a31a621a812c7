import Fluent
import Foundation

public final class SupportTicket: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "support_tickets"
    public static let auditSubject = "ticket"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @OptionalParent(key: "order_id") public var order: Order?
    @Field(key: "category") public var category: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @Field(key: "status") public var status: TicketStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, orderID: UUID?, category: String = "other", subject: String, body: String) {
        self.id = id
        self.category = category
        self.$user.id = userID
        self.$order.id = orderID
        self.subject = subject
        self.body = body
        self.status = .open
    }
}
