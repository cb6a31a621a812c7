import HeadshotCore
import SiteRoutes
import Vapor

/// Help, terms and the contact page, open to everyone. Signed in, the contact page is the support
/// ticket form with the customer's requests; signed out, a message form for account problems.
struct HelpPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.help, use: help)
        routes.get(SiteURL.terms, use: terms)
        routes.get(SiteURL.contact, use: contact)
        routes.post(SiteURL.contact, use: send)
    }

    @Sendable func help(req: Request) async throws -> Response {
        HelpPages.help(req.viewer, config: services.config, turnaround: try await Catalog.turnaround(on: req.db), generator: services.generator?.description)
    }

    @Sendable func terms(req: Request) async throws -> Response {
        HelpPages.terms(req.viewer, config: services.config)
    }

    @Sendable func contact(req: Request) async throws -> Response {
        var model = try await model(req)
        model.notice = switch req.query[String.self, at: "notice"] {
        case "ticket-sent": "Thank you: we've received your request and emailed you a copy. We reply by email."
        case "message-sent": "Thank you: your message reached us. We reply by email to the address you gave."
        default: nil
        }
        if let order = req.query[UUID.self, at: "order_id"] { model.orderID = order }
        if let category = req.query[String.self, at: "category"] { model.category = category }
        // From a headshot's "Report a problem": the message starts by naming it.
        if let about = req.query[String.self, at: "about"]?.prefix(80), !about.isEmpty { model.message = "About \(about): " }
        // …and attaches it, so support can see it.
        if let headshot = req.query[UUID.self, at: "headshot_id"] { model.headshots = [headshot] }
        return HelpPages.contact(req.viewer, model)
    }

    @Sendable func send(req: Request) async throws -> Response {
        let support = SupportRequests(req, services: services)
        var model = try await model(req)
        do {
            if let user = req.currentUser {
                let form = try req.content.decode(Form.self)
                model.category = form.category
                model.orderID = form.orderID.flatMap(UUID.init(uuidString:))
                model.message = form.message ?? ""
                model.headshots = form.headshotIDs ?? []
                let ticket = try await support.open(for: user, category: form.category, message: form.message, orderID: model.orderID,
                                                    headshots: model.headshots)
                return req.redirect(to: SiteURL.ticket(.value(try ticket.requireID())).path(["notice": "sent"]), redirectType: .normal)
            }
            let form = try req.content.decode(ContactMessageRequest.self)
            model.email = form.email ?? ""
            model.message = form.message ?? ""
            try await support.contact(email: form.email, message: form.message)
            return req.redirect(to: SiteURL.contact.path(["notice": "message-sent"]), redirectType: .normal)
        } catch AccountError.invalidInput(let errors) {
            model.errors = errors
            return HelpPages.contact(req.viewer, model, status: .unprocessableEntity)
        }
    }

    /// The page form's fields (an empty order choice is "none").
    private struct Form: Content {
        let category: String?
        let orderID: String?
        let message: String?
        let headshotIDs: [UUID]?
    }

    private func model(_ req: Request) async throws -> HelpPages.ContactModel {
        guard let user = req.currentUser else { return HelpPages.ContactModel() }
        return HelpPages.ContactModel(user: user, orders: try await Orders.list(for: user, thumbnails: nil, on: req.db),
                                      tickets: try await SupportRequests(req, services: services).list(for: user))
    }
}
