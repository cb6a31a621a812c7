import Vapor

/// The contact page's JSON twins: a signed-in customer's support tickets, and a message from
/// someone who cannot sign in.
struct SupportAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get(APIURL.supportTickets, use: list)
        signedIn.post(APIURL.supportTickets, use: open)
        routes.post(APIURL.contactMessages, use: contact)
    }

    @Sendable func list(req: Request) async throws -> [SupportTicketDTO] {
        try await SupportRequests(req, services: services).list(for: try req.requireUser()).map(SupportTicketDTO.init)
    }

    @Sendable func open(req: Request) async throws -> Response {
        let body = try req.content.decode(SupportTicketRequest.self)
        let ticket = try await SupportRequests(req, services: services).open(for: try req.requireUser(), category: body.category,
                                                                              message: body.message, orderID: body.orderID)
        return try await SupportTicketDTO(ticket).encodeResponse(status: .created, for: req)
    }

    @Sendable func contact(req: Request) async throws -> Response {
        let body = try req.content.decode(ContactMessageRequest.self)
        try await SupportRequests(req, services: services).contact(email: body.email, message: body.message)
        return try await MessageDTO(message: "Thank you: your message reached us. We reply by email.").encodeResponse(status: .accepted, for: req)
    }
}
