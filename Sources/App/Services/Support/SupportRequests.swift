import Fluent
import Foundation
import Mail

/// Support requests from the contact page and the API. A signed-in customer opens a ticket (a
/// category, a message, optionally one of their orders); it is confirmed by email and support is told.
/// Someone who cannot sign in writes from the same page with their email address: the message goes
/// to the support address, and the reply comes by email. Both are limited per client address.
struct SupportRequests {
    enum Category: String, CaseIterable, Codable, Sendable {
        case likeness = "doesnt_look_like_me"
        case wrongStyle = "wrong_style"
        case artefacts
        case stuckOrder = "stuck_or_failed_order"
        case payment
        case account
        case other

        var label: String {
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

    static let messageLength = 10...5_000

    let db: any Database
    let services: AppServices
    let actor: AuditActor
    let clientIP: String

    /// Opens a ticket for `user`. Throws `.invalid` with each field's problem.
    func open(for user: User, category rawCategory: String?, message rawMessage: String?, orderID: UUID?) async throws -> SupportTicket {
        let userID = try user.requireID()
        var problems: [String: String] = [:]
        let category = rawCategory.flatMap(Category.init(rawValue:))
        if category == nil { problems["category"] = "Choose what your request is about." }
        let message = (rawMessage ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = Self.problem(with: message) { problems["message"] = problem }
        if let orderID, try await Order.query(on: db).filter(\.$id == orderID).filter(\.$user.$id == userID).filter(\.$status != .deleted).count() == 0 {
            problems["order_id"] = "Choose one of your orders, or none."
        }
        guard problems.isEmpty, let category else { throw AccountError.invalidInput(problems) }
        try await RateLimiter(db: db).hit(RateLimiter.contactPerAddress, subject: clientIP, at: services.clock.now())

        let ticket = SupportTicket(userID: userID, orderID: orderID, category: category.rawValue, subject: category.label, body: message)
        let base = services.config.baseURL
        try await db.transaction { tx in
            try await ticket.create(on: tx)
            try await Audit.record("ticket.opened", subjectType: SupportTicket.auditSubject, subjectID: ticket.id, by: actor,
                                   detail: category.rawValue, at: services.clock.now(), on: tx)
            try await services.mail.enqueue(MailMessage(to: user.email, subject: "We've received your request", text: """
                Thank you for writing. We've received your request and will reply by email.

                About: \(category.label)
                Reference: \(Self.reference(ticket))

                Your message:
                \(message)

                See your requests: \(SiteURL.contact.absolute(on: base))
                """), on: tx)
            try await services.mail.enqueue(MailMessage(to: services.config.supportEmail, subject: "[\(Self.reference(ticket))] \(category.label)", text: """
                A customer opened a support request.

                From: \(user.email)
                About: \(category.label)
                Order: \(orderID?.uuidString.lowercased() ?? "none")

                \(message)
                """), on: tx)
        }
        return ticket
    }

    /// A message from someone who is not signed in (for account problems), sent to the support address.
    func contact(email rawEmail: String?, message rawMessage: String?) async throws {
        let email = Accounts.normalise(email: rawEmail ?? "")
        let message = (rawMessage ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [String: String] = [:]
        if let problem = Accounts.emailProblem(email) { problems["email"] = problem }
        if let problem = Self.problem(with: message) { problems["message"] = problem }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
        try await RateLimiter(db: db).hit(RateLimiter.contactPerAddress, subject: clientIP, at: services.clock.now())
        try await db.transaction { tx in
            try await services.mail.enqueue(MailMessage(to: services.config.supportEmail, subject: "Contact form: \(email)", text: """
                Someone who was not signed in wrote from the contact page. Reply to them at \(email).

                \(message)
                """), on: tx)
            try await Audit.record("contact.message_sent", subjectType: "contact", subjectID: nil, by: actor, at: services.clock.now(), on: tx)
        }
    }

    /// The user's tickets, newest first.
    func list(for user: User) async throws -> [SupportTicket] {
        try await SupportTicket.query(on: db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
    }

    /// A short code the customer and support can quote: the ticket id's first 8 characters.
    static func reference(_ ticket: SupportTicket) -> String {
        "HS-" + (ticket.id?.uuidString.prefix(8).uppercased() ?? "")
    }

    static func problem(with message: String) -> String? {
        if message.count < messageLength.lowerBound { return "Tell us a little more (at least \(messageLength.lowerBound) characters)." }
        if message.count > messageLength.upperBound { return "Keep it to \(messageLength.upperBound) characters or fewer." }
        return nil
    }
}
