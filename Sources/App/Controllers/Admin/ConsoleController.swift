import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The console for support and admins: overview, orders, refunds, re-runs and user lookup.
struct ConsoleController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.admin(nil), use: overview)
        routes.get(SiteURL.admin(.order(.key)), use: order)
        routes.post(SiteURL.admin(.orderReruns(.key)), use: rerun)
        routes.post(SiteURL.admin(.refundApprove(.key)), use: approve)
        routes.post(SiteURL.admin(.refundReject(.key)), use: reject)
        routes.get(SiteURL.admin(.users), use: users)
    }

    static let notices = [
        "rerun": "Re-run queued: a free credit was granted and spent; the customer sees the new headshots arrive.",
        "retried": "The failed order is queued again; it makes only the headshots it had not delivered.",
        "approved": "Refund approved and paid back; the customer has been emailed.",
        "rejected": "Refund declined; the customer has been emailed the reason.",
        "replied": "Reply sent and emailed to the customer.",
        "status": "Ticket status changed.",
        "hold": "Legal hold updated.",
        "saved": "Package saved; it applies to new orders.",
        "role": "Role changed.",
    ]

    static func notice(_ req: Request) -> String? { notices[req.query[String.self, at: "notice"] ?? ""] }

    @Sendable func overview(req: Request) async throws -> Response {
        AdminPages.overview(req.viewer, try await StaffConsole(req, services: services).overview(), notice: Self.notice(req))
    }

    @Sendable func order(req: Request) async throws -> Response {
        AdminPages.order(req.viewer, try await StaffConsole(req, services: services).order(try StaffRequests.uuid(req, "orderID")), notice: Self.notice(req),
                         gpuCurrency: services.remote?.presets.currency)
    }

    @Sendable func rerun(req: Request) async throws -> Response {
        let job = try await StaffRequests.rerun(req, services: services)
        let back = (try? req.content.get(String.self, at: "back")).flatMap { $0.hasPrefix("/admin/") ? $0 : nil }
            ?? SiteURL.admin(.order(.value(job.$order.id))).path
        return req.redirect(to: back + "?notice=" + (job.kind == GenerationJob.Kind.rerun ? "rerun" : "retried"), redirectType: .normal)
    }

    @Sendable func approve(req: Request) async throws -> Response {
        let refund = try await StaffRequests.refund(req)
        try await Refunds(req, services: services).approve(refund)
        return req.redirect(to: SiteURL.admin(.order(.value(refund.$order.id))).path(["notice": "approved"]), redirectType: .normal)
    }

    @Sendable func reject(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let refund = try await StaffRequests.refund(req)
        let reason = (try? req.content.decode(Form.self))?.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw AccountError.invalidInput(["reason": "Say why the refund is declined; the customer is told."]) }
        try await Refunds(req, services: services).reject(refund, reason: reason)
        return req.redirect(to: SiteURL.admin(.order(.value(refund.$order.id))).path(["notice": "rejected"]), redirectType: .normal)
    }

    @Sendable func users(req: Request) async throws -> Response {
        let query = req.query[String.self, at: "email"] ?? ""
        guard !query.isEmpty else { return AdminPages.users(req.viewer, query: "", found: nil, error: nil) }
        do {
            return AdminPages.users(req.viewer, query: query, found: try await StaffConsole(req, services: services).findUsers(email: query), error: nil)
        } catch AccountError.invalidInput(let errors) {
            return AdminPages.users(req.viewer, query: query, found: nil, error: errors["email"])
        }
    }
}
