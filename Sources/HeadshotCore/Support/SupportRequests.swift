import FluentKit
import Foundation
import Mail
import SiteRoutes

/// Support requests from the contact page and the API. A signed-in customer opens a ticket (a
/// category, a message, optionally one of their orders); it is confirmed by email and support is told.
/// Someone who cannot sign in writes from the same page with their email address: the message goes
/// to the support address, and the reply comes by email. Both are limited per client address.
package struct SupportRequests {
    package enum Category: String, CaseIterable, Codable, Sendable {
        case likeness = "doesnt_look_like_me"
        case wrongStyle = "wrong_style"
        case artefacts
        case stuckOrder = "stuck_or_failed_order"
        case payment
        case account
        case other

        package var label: String {
            switch self {
            case .likeness: "The headshots don't look like me"
            case .wrongStyle: "Wrong style"
            case .artefacts: "Artefacts or flaws in a headshot"
            case .stuckOrder: "An order is stuck or failed"
            case .payment: "Payment or refund"
            case .account: "My account or signing in"
            case .other: "Something else"
            }
        }
    }

    package static let messageLength = 10...5_000
    /// Support's replies may be short ("Done!").
    package static let staffReplyLength = 1...5_000

    package let db: any Database
    package let context: DomainContext
    package let actor: AuditActor
    package let clientIP: String

    package init(db: any Database, context: DomainContext, actor: AuditActor, clientIP: String) {
        self.db = db
        self.context = context
        self.actor = actor
        self.clientIP = clientIP
    }

    /// Opens a ticket for `user`, with `headshots` of the chosen order attached (the only headshots
    /// support may see). Throws `.invalid` with each field's problem.
    package func open(for user: User, category rawCategory: String?, message rawMessage: String?, orderID: UUID?,
              headshots: [UUID] = []) async throws -> SupportTicket {
        let userID = try user.requireID()
        var problems: [String: String] = [:]
        let category = rawCategory.flatMap(Category.init(rawValue:))
        if category == nil { problems["category"] = "Choose what your request is about." }
        let message = (rawMessage ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = Self.problem(with: rawMessage ?? "") { problems["message"] = problem }
        if let orderID, try await Order.query(on: db).filter(\.$id == orderID).filter(\.$user.$id == userID).filter(\.$status != .deleted).count() == 0 {
            problems["order_id"] = "Choose one of your orders, or none."
        }
        let attached = Array(Set(headshots))
        if !attached.isEmpty {
            var found = 0
            if let orderID {
                found = try await GeneratedAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$id ~~ attached).filter(\.$status == .ready).count()
            }
            if found != attached.count || attached.count > Self.maxAttachments {
                problems["headshot_ids"] = "Attach up to \(Self.maxAttachments) headshots of the order you chose."
            }
        }
        guard problems.isEmpty, let category else { throw AccountError.invalidInput(problems) }
        try await RateLimiter(db: db).hit(RateLimiter.contactPerAddress, subject: clientIP, at: context.clock.now())

        let ticket = SupportTicket(userID: userID, orderID: orderID, category: category.rawValue, subject: category.label, body: message)
        let base = context.baseURL
        try await db.transaction { tx in
            try await ticket.create(on: tx)
            for asset in attached { try await SupportAttachment(ticketID: try ticket.requireID(), assetID: asset).create(on: tx) }
            try await Audit.record("ticket.opened", subjectType: SupportTicket.auditSubject, subjectID: ticket.id, by: actor,
                                   detail: category.rawValue, at: context.clock.now(), on: tx)
            try await context.mail.enqueue(MailMessage(to: user.email, subject: "We've received your request", text: """
                Thank you for writing. We've received your request and will reply by email.

                About: \(category.label)
                Reference: \(Self.reference(ticket))

                Your message:
                \(message)

                See your request and our replies: \(SiteURL.ticket(.value(try ticket.requireID())).absolute(on: base))
                """), on: tx)
            try await context.mail.enqueue(MailMessage(to: context.supportEmail, subject: "[\(Self.reference(ticket))] \(category.label)", text: """
                A customer opened a support request.

                From: \(user.email)
                About: \(category.label)
                Order: \(orderID?.uuidString.lowercased() ?? "none")
                Headshots attached: \(attached.count)

                \(message)

                Reply in the console: \(SiteURL.admin(.ticket(.value(try ticket.requireID()))).absolute(on: base))
                """), on: tx)
        }
        return ticket
    }

    package static let maxAttachments = 10

    /// A ticket with its conversation and attachments: for its customer (`owner`), or for staff (nil).
    package struct Thread: Sendable {
        package let ticket: SupportTicket
        package let customer: User
        package let messages: [SupportMessage]
        package let attachments: [GeneratedAsset]
    }

    package func thread(_ ticketID: UUID, owner: UUID?) async throws -> Thread {
        guard let ticket = try await SupportTicket.find(ticketID, on: db), owner == nil || ticket.$user.id == owner,
              let customer = try await User.find(ticket.$user.id, on: db) else {
            throw Failure.notFound("There is no such request.")
        }
        let messages = try await SupportMessage.query(on: db).filter(\.$ticket.$id == ticketID).sort(\.$createdAt).sort(\.$id).all()
        let assetIDs = try await SupportAttachment.query(on: db).filter(\.$ticket.$id == ticketID).all(\.$asset.$id)
        let attachments = assetIDs.isEmpty ? [] : try await GeneratedAsset.query(on: db).filter(\.$id ~~ assetIDs).filter(\.$status == .ready)
            .sort(\.$preset).sort(\.$sequence).all()
        return Thread(ticket: ticket, customer: customer, messages: messages, attachments: attachments)
    }

    /// The customer writes again: support is told, and a ticket waiting for them (or resolved) opens again.
    package func reply(to ticketID: UUID, from user: User, message rawMessage: String?) async throws -> SupportMessage {
        let message = (rawMessage ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = Self.problem(with: rawMessage ?? "") { throw AccountError.invalidInput(["message": problem]) }
        let thread = try await thread(ticketID, owner: try user.requireID())
        guard thread.ticket.status != .closed else {
            throw Failure(.conflict, "This request is closed. Open a new one on the contact page.", code: "ticket_closed")
        }
        try await RateLimiter(db: db).hit(RateLimiter.contactPerAddress, subject: clientIP, at: context.clock.now())
        let reply = SupportMessage(ticketID: ticketID, authorID: try user.requireID(), fromStaff: false, body: message)
        let base = context.baseURL, now = context.clock.now()
        try await db.transaction { tx in
            try await reply.create(on: tx)
            if thread.ticket.status != .open { try await Audit.transition(thread.ticket, to: .open, by: actor, detail: "customer replied", at: now, on: tx) }
            try await context.mail.enqueue(MailMessage(to: context.supportEmail, subject: "[\(Self.reference(thread.ticket))] Customer replied", text: """
                \(user.email) replied:

                \(message)

                \(SiteURL.admin(.ticket(.value(ticketID))).absolute(on: base))
                """), on: tx)
        }
        return reply
    }

    /// Support answers: the reply is added and emailed to the customer, and the ticket waits for them
    /// (or is resolved, when support says so). Audited with the staff member's id.
    package func answer(_ ticketID: UUID, by staff: User, message rawMessage: String?, resolve: Bool) async throws -> SupportMessage {
        let message = InputRules.trimmed(rawMessage ?? "")
        if let problem = InputRules.problem(rawMessage ?? "", Self.staffReplyLength,
                                            tooShort: "Write a reply of up to \(Self.messageLength.upperBound) characters.") {
            throw AccountError.invalidInput(["message": problem])
        }
        let thread = try await thread(ticketID, owner: nil)
        guard thread.ticket.status != .closed else {
            throw Failure(.conflict, "This request is closed.", code: "ticket_closed")
        }
        let reply = SupportMessage(ticketID: ticketID, authorID: try staff.requireID(), fromStaff: true, body: message)
        let base = context.baseURL, now = context.clock.now()
        let next: TicketStatus = resolve ? .resolved : .pending
        try await db.transaction { tx in
            try await reply.create(on: tx)
            try await Audit.record("ticket.replied", subjectType: SupportTicket.auditSubject, subjectID: ticketID, by: actor,
                                   detail: resolve ? "and resolved" : nil, at: now, on: tx)
            if thread.ticket.status != next { try await Audit.transition(thread.ticket, to: next, by: actor, at: now, on: tx) }
            try await context.mail.enqueue(MailMessage(to: thread.customer.email, subject: "Re: \(thread.ticket.subject) [\(Self.reference(thread.ticket))]", text: """
                Our support team replied to your request:

                \(message)

                See the conversation or reply: \(SiteURL.ticket(.value(ticketID)).absolute(on: base))
                """), on: tx)
        }
        return reply
    }

    /// A message from someone who is not signed in (for account problems), sent to the support address.
    package func contact(email rawEmail: String?, message rawMessage: String?) async throws {
        let email = Accounts.normalise(email: rawEmail ?? "")
        let message = (rawMessage ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [String: String] = [:]
        if let problem = Accounts.emailProblem(rawEmail ?? "") { problems["email"] = problem }
        if let problem = Self.problem(with: rawMessage ?? "") { problems["message"] = problem }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
        try await RateLimiter(db: db).hit(RateLimiter.contactPerAddress, subject: clientIP, at: context.clock.now())
        try await db.transaction { tx in
            try await context.mail.enqueue(MailMessage(to: context.supportEmail, subject: "Contact form: \(email)", text: """
                Someone who was not signed in wrote from the contact page. Reply to them at \(email).

                \(message)
                """), on: tx)
            try await Audit.record("contact.message_sent", subjectType: "contact", subjectID: nil, by: actor, at: context.clock.now(), on: tx)
        }
    }

    /// Staff move a ticket along (resolve, close, reopen), audited with their id.
    package func move(_ ticketID: UUID, to next: TicketStatus) async throws -> SupportTicket {
        guard let ticket = try await SupportTicket.find(ticketID, on: db) else { throw Failure.notFound("There is no such request.") }
        if ticket.status != next { try await Audit.transition(ticket, to: next, by: actor, at: context.clock.now(), on: db) }
        return ticket
    }

    /// The user's tickets, newest first.
    package func list(for user: User) async throws -> [SupportTicket] {
        try await SupportTicket.query(on: db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
    }

    /// A short code the customer and support can quote: the ticket id's first 8 characters.
    package static func reference(_ ticket: SupportTicket) -> String {
        "HS-" + (ticket.id?.uuidString.prefix(8).uppercased() ?? "")
    }

    /// What is wrong with a message as sent, if anything (`InputRules.textSchema` in the API document).
    package static func problem(with raw: String) -> String? {
        InputRules.problem(raw, messageLength, tooShort: "Tell us a little more (at least \(messageLength.lowerBound) characters).",
                           tooLong: "Keep it to \(messageLength.upperBound) characters or fewer.")
    }
}

extension SupportRequests {
    /// The newest 200 tickets in `states`, newest first (the console's queue).
    package static func tickets(in states: [TicketStatus], on db: any Database) async throws -> [SupportTicket] {
        try await SupportTicket.query(on: db).filter(\.$status ~~ states).sort(\.$createdAt, .descending).limit(200).all()
    }
}
