import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Support's tickets: the queue, one conversation with its attached headshots, replying and status.
struct ConsoleTicketsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.admin(.tickets), use: list)
        routes.get(SiteURL.admin(.ticket(.key)), use: show)
        routes.post(SiteURL.admin(.ticketReplies(.key)), use: reply)
        routes.post(SiteURL.admin(.ticketStatus(.key)), use: status)
        routes.get(SiteURL.admin(.attachment(.key, asset: .key)), use: attachment)
    }

    @Sendable func list(req: Request) async throws -> Response {
        AdminPages.tickets(req.viewer, try await StaffRequests.tickets(req), status: req.query[String.self, at: "status"])
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await page(req, notice: ConsoleController.notice(req))
    }

    private func page(_ req: Request, notice: String?, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let thread = try await SupportRequests(req, services: services).thread(try StaffRequests.uuid(req, "ticketID"), owner: nil)
        var order: Order?, credits: Int?
        if let orderID = thread.ticket.$order.id {
            order = try await Order.find(orderID, on: req.db)
            credits = try await Reruns.creditsLeft(of: orderID, on: req.db)
        }
        return AdminPages.ticket(req.viewer, thread, order: order, credits: credits, notice: notice, error: error, status: status)
    }

    @Sendable func reply(req: Request) async throws -> Response {
        struct Form: Content { var message: String?; var resolve: String? }
        let form = try? req.content.decode(Form.self)
        let ticketID = try StaffRequests.uuid(req, "ticketID")
        do {
            _ = try await SupportRequests(req, services: services).answer(ticketID, by: try req.requireUser(), message: form?.message,
                                                                          resolve: form?.resolve == "true")
        } catch AccountError.invalidInput(let errors) {
            return try await page(req, notice: nil, error: errors["message"], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.admin(.ticket(.value(ticketID))).path(["notice": "replied"]), redirectType: .normal)
    }

    @Sendable func status(req: Request) async throws -> Response {
        struct Form: Content { var status: String? }
        let ticketID = try StaffRequests.uuid(req, "ticketID")
        guard let status = (try? req.content.decode(Form.self))?.status.flatMap(TicketStatus.init(rawValue:)) else {
            throw AccountError.invalidInput(["status": "Choose open, pending, resolved or closed."])
        }
        _ = try await SupportRequests(req, services: services).move(ticketID, to: status)
        return req.redirect(to: SiteURL.admin(.ticket(.value(ticketID))).path(["notice": "status"]), redirectType: .normal)
    }

    @Sendable func attachment(req: Request) async throws -> Response {
        try await StaffRequests.attachment(req, services: services)
    }
}
