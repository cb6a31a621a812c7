import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The console's JSON twin for support and admins: overview, tickets (reply, status, attachments),
/// orders with their audit trail, re-runs, the refund queue and user lookup. Refund decisions are at
/// `/refund-requests/{id}/approve|reject`.
struct ConsoleAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(User.guardMiddleware(), RoleGuard(role: .support))
        staff.get(APIURL.admin(nil), use: overview)
        staff.get(APIURL.admin(.tickets), use: tickets)
        staff.get(APIURL.admin(.ticket(.key)), use: ticket)
        staff.post(APIURL.admin(.ticketReplies(.key)), use: reply)
        staff.post(APIURL.admin(.ticketStatus(.key)), use: status)
        staff.get(APIURL.admin(.attachment(.key, asset: .key)), use: attachment)
        staff.get(APIURL.admin(.order(.key)), use: order)
        staff.post(APIURL.admin(.orderReruns(.key)), use: rerun)
        staff.get(APIURL.admin(.refundRequests), use: refunds)
        staff.get(APIURL.admin(.users), use: users)
        staff.get(APIURL.admin(.kpis), use: kpis)
    }

    /// The KPI rows of a period (?from=&to=, YYYY-MM-DD), each week overall and by package.
    @Sendable func kpis(req: Request) async throws -> [KPIRowDTO] {
        let (from, to) = try ConsoleKPIController.period(req, now: services.clock.now())
        return try await KPIs(db: req.db).rows(from: from, to: to).map(KPIRowDTO.init)
    }

    @Sendable func overview(req: Request) async throws -> ConsoleOverviewDTO {
        try ConsoleOverviewDTO(try await StaffConsole(req, services: services).overview())
    }

    @Sendable func tickets(req: Request) async throws -> [SupportTicketDTO] {
        try await StaffRequests.tickets(req).map(SupportTicketDTO.init)
    }

    @Sendable func ticket(req: Request) async throws -> SupportThreadDTO {
        let ticketID = try StaffRequests.uuid(req, "ticketID")
        let thread = try await SupportRequests(req, services: services).thread(ticketID, owner: nil)
        return try SupportThreadDTO(thread, showEmail: true) { asset in
            APIURL.admin(.attachment(.value(ticketID), asset: .value(try asset.requireID()))).sitePath
        }
    }

    @Sendable func reply(req: Request) async throws -> Response {
        let body = try req.content.decode(SupportReplyRequest.self)
        let message = try await SupportRequests(req, services: services).answer(try StaffRequests.uuid(req, "ticketID"), by: try req.requireUser(),
                                                                                message: body.message, resolve: body.resolve ?? false)
        return try await SupportMessageDTO(message).encodeResponse(status: .created, for: req)
    }

    @Sendable func status(req: Request) async throws -> SupportTicketDTO {
        struct Body: Content { var status: TicketStatus }
        guard let body = try? req.content.decode(Body.self) else {
            throw AccountError.invalidInput(["status": "Send a status: open, pending, resolved or closed."])
        }
        return try SupportTicketDTO(try await SupportRequests(req, services: services).move(try StaffRequests.uuid(req, "ticketID"), to: body.status))
    }

    @Sendable func attachment(req: Request) async throws -> Response {
        try await StaffRequests.attachment(req, services: services)
    }

    @Sendable func order(req: Request) async throws -> ConsoleOrderDTO {
        let file = try await StaffConsole(req, services: services).order(try StaffRequests.uuid(req, "orderID"))
        return try ConsoleOrderDTO(file, showPhotos: try req.requireUser().role == .admin, gpuCurrency: services.remote?.presets.currency)
    }

    @Sendable func rerun(req: Request) async throws -> Response {
        try await RerunDTO(try await StaffRequests.rerun(req, services: services)).encodeResponse(status: .accepted, for: req)
    }

    @Sendable func refunds(req: Request) async throws -> [RefundDTO] {
        try await RefundRequest.open(on: req.db).map(RefundDTO.init)
    }

    @Sendable func users(req: Request) async throws -> [ConsoleUserDTO] {
        try await StaffConsole(req, services: services).findUsers(email: req.query[String.self, at: "email"] ?? "")
            .map { try ConsoleUserDTO($0.user, orders: $0.orders, tickets: $0.tickets) }
    }
}
