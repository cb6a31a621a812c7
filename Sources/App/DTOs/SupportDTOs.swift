import HeadshotCore
import Vapor

/// `POST /api/v1/support-tickets` and the contact page's form.
struct SupportTicketRequest: Content {
    let category: String?
    let message: String?
    let orderID: UUID?
    /// Headshots of that order to attach (support sees only these).
    let headshotIDs: [UUID]?
}

/// `POST /api/v1/contact-messages` and the signed-out contact form.
struct ContactMessageRequest: Content {
    let email: String?
    let message: String?
}

struct SupportTicketDTO: Content {
    let id: UUID
    let reference: String
    let category: String
    let status: TicketStatus
    let orderID: UUID?
    let message: String
    let createdAt: Date?
    let updatedAt: Date?

    init(_ ticket: SupportTicket) throws {
        id = try ticket.requireID()
        reference = SupportRequests.reference(ticket)
        category = ticket.category
        status = ticket.status
        orderID = ticket.$order.id
        message = ticket.body
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
    }
}

/// One message of a ticket's conversation.
struct SupportMessageDTO: Content {
    let id: UUID
    /// "support" or "customer".
    let from: String
    let message: String
    let createdAt: Date?

    init(_ message: SupportMessage) throws {
        id = try message.requireID()
        from = message.fromStaff ? "support" : "customer"
        self.message = message.body
        createdAt = message.createdAt
    }
}

/// A headshot attached to a ticket, with where its picture is (for whoever may see it).
struct SupportAttachmentDTO: Content {
    let id: UUID
    let preset: String
    let imageURL: String
}

/// A ticket with its whole conversation (the opening message first) and its attachments.
struct SupportThreadDTO: Content {
    let ticket: SupportTicketDTO
    let customerEmail: String?
    let messages: [SupportMessageDTO]
    let attachments: [SupportAttachmentDTO]

    /// `image` gives each attachment's picture URL for the reader (the customer's own thumbnail route, or support's).
    init(_ thread: SupportRequests.Thread, showEmail: Bool, image: (GeneratedAsset) throws -> String) throws {
        ticket = try SupportTicketDTO(thread.ticket)
        customerEmail = showEmail ? thread.customer.email : nil
        messages = try thread.messages.map(SupportMessageDTO.init)
        attachments = try thread.attachments.map { SupportAttachmentDTO(id: try $0.requireID(), preset: $0.preset, imageURL: try image($0)) }
    }
}

/// `POST /api/v1/support-tickets/{id}/messages` and support's replies.
struct SupportReplyRequest: Content {
    let message: String?
    /// Support only: resolve the ticket with this reply.
    let resolve: Bool?
}
