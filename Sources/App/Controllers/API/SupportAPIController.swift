import HeadshotCore
import SiteRoutes
import Vapor

/// The contact page's JSON twins: a signed-in customer's support tickets, and a message from
/// someone who cannot sign in.
struct SupportAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get(APIURL.supportTickets, use: list)
        signedIn.post(APIURL.supportTickets, use: open)
        signedIn.get(APIURL.supportTicket(.key), use: thread)
        signedIn.post(APIURL.supportTicketMessages(.key), use: reply)
        routes.post(APIURL.contactMessages, use: contact)
    }

    @Sendable func list(req: Request) async throws -> [SupportTicketDTO] {
        try await SupportRequests(req, services: services).list(for: try req.requireUser()).map(SupportTicketDTO.init)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let body = try req.content.decode(SupportTicketRequest.self)
        let ticket = try await SupportRequests(req, services: services).open(for: try req.requireUser(), category: body.category,
                                                                              message: body.message, orderID: body.orderID,
                                                                              headshots: body.headshotIDs ?? [])
        return try await SupportTicketDTO(ticket).encodeResponse(status: .created, for: req)
    }

    /// One of the caller's tickets with its conversation (404 for anyone else's).
    @Sendable func thread(req: Request) async throws -> SupportThreadDTO {
        let thread = try await SupportRequests(req, services: services).thread(try Self.ticketID(req), owner: try req.requireUser().requireID())
        return try SupportThreadDTO(thread, showEmail: false) { asset in
            APIURL.order(.value(asset.$order.id), .headshotThumbnail(.value(try asset.requireID()))).sitePath
        }
    }

    @Sendable func reply(req: Request) async throws -> Response {
        let body = try req.content.decode(SupportReplyRequest.self)
        let message = try await SupportRequests(req, services: services).reply(to: try Self.ticketID(req), from: try req.requireUser(), message: body.message)
        return try await SupportMessageDTO(message).encodeResponse(status: .created, for: req)
    }

    static func ticketID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("ticketID", as: UUID.self) else { throw Failure.notFound("There is no such request.") }
        return id
    }

    @Sendable func contact(req: Request) async throws -> Response {
        let body = try req.content.decode(ContactMessageRequest.self)
        try await SupportRequests(req, services: services).contact(email: body.email, message: body.message)
        return try await MessageDTO(message: "Thank you: your message reached us. We reply by email.").encodeResponse(status: .accepted, for: req)
    }
}
