import Vapor

/// `POST /api/v1/support-tickets` and the contact page's form.
struct SupportTicketRequest: Content {
    let category: String?
    let message: String?
    let orderID: UUID?

    enum CodingKeys: String, CodingKey {
        case category, message
        case orderID = "order_id"
    }
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

    init(_ ticket: SupportTicket) throws {
        id = try ticket.requireID()
        reference = SupportRequests.reference(ticket)
        category = ticket.category
        status = ticket.status
        orderID = ticket.$order.id
        message = ticket.body
        createdAt = ticket.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, reference, category, status, message
        case orderID = "order_id"
        case createdAt = "created_at"
    }
}
