import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Refund requests: customers ask for their own orders; support and admins approve or reject.
struct RefundsAPIController: RouteCollection {
    let services: AppServices

    struct RequestBody: Content { var reason: String }
    struct RejectBody: Content { var reason: String? }

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.post(APIURL.order(.key, .refundRequests), use: request)
        signedIn.get(APIURL.order(.key, .refundRequests), use: list)
        let support = signedIn.grouped(RoleGuard(role: .support))
        support.post(APIURL.approveRefund(.key), use: approve)
        support.post(APIURL.rejectRefund(.key), use: reject)
    }

    private func refunds(_ req: Request) -> Refunds {
        Refunds(req, services: services)
    }

    /// A customer's request: refunded at once within the policy (the answer says `refunded`), otherwise `requested`.
    @Sendable func request(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let body = try req.content.decode(RequestBody.self)
        let refund = try await refunds(req).ask(for: order, by: try req.requireUser(), reason: body.reason)
        return try await RefundDTO(refund).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> [RefundDTO] {
        let order = try await OrderRequests(req, services: services).order()
        return try await RefundRequest.all(of: order.requireID(), on: req.db).map(RefundDTO.init)
    }

    @Sendable func approve(req: Request) async throws -> RefundDTO {
        let refund = try await find(req)
        try await refunds(req).approve(refund)
        return try RefundDTO(refund)
    }

    @Sendable func reject(req: Request) async throws -> RefundDTO {
        let refund = try await find(req)
        try await refunds(req).reject(refund, reason: (try? req.content.decode(RejectBody.self))?.reason ?? "rejected by support")
        return try RefundDTO(refund)
    }

    private func find(_ req: Request) async throws -> RefundRequest {
        guard let id = req.parameters.get("refundID", as: UUID.self), let refund = try await RefundRequest.find(id, on: req.db) else {
            throw Failure.noSuchPage
        }
        return refund
    }
}
