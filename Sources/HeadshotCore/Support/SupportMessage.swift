import FluentKit
import Foundation

/// One message in a support ticket's conversation after the one that opened it: a reply from support
/// (emailed to the customer) or from the customer.
package final class SupportMessage: Model, @unchecked Sendable {
    package static let schema = "support_messages"

    @ID package var id: UUID?
    @Parent(key: "ticket_id") package var ticket: SupportTicket
    @OptionalParent(key: "author_id") package var author: User?
    @Field(key: "from_staff") package var fromStaff: Bool
    @Field(key: "body") package var body: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, ticketID: UUID, authorID: UUID?, fromStaff: Bool, body: String) {
        self.id = id
        self.$ticket.id = ticketID
        self.$author.id = authorID
        self.fromStaff = fromStaff
        self.body = body
    }
}

/// A headshot the customer attached to a ticket: the only headshots support may see.
package final class SupportAttachment: Model, @unchecked Sendable {
    package static let schema = "support_attachments"

    @ID package var id: UUID?
    @Parent(key: "ticket_id") package var ticket: SupportTicket
    @Parent(key: "asset_id") package var asset: GeneratedAsset
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, ticketID: UUID, assetID: UUID) {
        self.id = id
        self.$ticket.id = ticketID
        self.$asset.id = assetID
    }
}
