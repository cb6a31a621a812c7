import Fluent
import Foundation

/// One message in a support ticket's conversation after the one that opened it: a reply from support
/// (emailed to the customer) or from the customer.
public final class SupportMessage: Model, @unchecked Sendable {
    public static let schema = "support_messages"

    @ID public var id: UUID?
    @Parent(key: "ticket_id") public var ticket: SupportTicket
    @OptionalParent(key: "author_id") public var author: User?
    @Field(key: "from_staff") public var fromStaff: Bool
    @Field(key: "body") public var body: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, ticketID: UUID, authorID: UUID?, fromStaff: Bool, body: String) {
        self.id = id
        self.$ticket.id = ticketID
        self.$author.id = authorID
        self.fromStaff = fromStaff
        self.body = body
    }
}

/// A headshot the customer attached to a ticket: the only headshots support may see.
public final class SupportAttachment: Model, @unchecked Sendable {
    public static let schema = "support_attachments"

    @ID public var id: UUID?
    @Parent(key: "ticket_id") public var ticket: SupportTicket
    @Parent(key: "asset_id") public var asset: GeneratedAsset
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, ticketID: UUID, assetID: UUID) {
        self.id = id
        self.$ticket.id = ticketID
        self.$asset.id = assetID
    }
}
