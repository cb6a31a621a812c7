import Fluent
import Vapor

/// Refund requests: customers ask for their own orders; support and admins approve or reject.
struct RefundsAPIController: RouteCollection {
    struct RequestBody: Content { var reason: String }
    struct RejectBody: Content { var reason: String? }

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.post("orders", ":orderID", "refund-requests", use: request)
        signedIn.get("orders", ":orderID", "refund-requests", use: list)
        let support = signedIn.grouped(RoleGuard(role: .support)).grouped("refund-requests", ":refundID")
        support.post("approve", use: approve)
        support.post("reject", use: reject)
    }

    private func refunds(_ req: Request) -> Refunds {
        Refunds(db: req.db, gateway: req.application.paymentGateway, actor: req.actor, now: req.now)
    }

    @Sendable func request(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).order()
        let body = try req.content.decode(RequestBody.self)
        let refund = try await refunds(req).request(for: order, by: try req.requireUser(), reason: body.reason)
        return try await RefundDTO(refund).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> [RefundDTO] {
        let order = try await OrderPhotos(req: req).order()
        return try await RefundRequest.query(on: req.db).filter(\.$order.$id == order.requireID()).sort(\.$createdAt).all().map(RefundDTO.init)
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
            throw Abort(.notFound)
        }
        return refund
    }
}
