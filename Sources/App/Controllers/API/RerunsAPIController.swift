import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Re-runs of a completed order: start one (spending a credit) and see the order's standing.
struct RerunsAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.post(APIURL.order(.key, .reruns), use: start)
        signedIn.get(APIURL.order(.key, .reruns), use: list)
    }

    @Sendable func start(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let scope = try req.content.decode(RerunRequest.self).scope()
        let job = try await Reruns(req, services: services).start(order: try order.requireID(), owner: try req.requireUser().requireID(), scope: scope)
        return try await RerunDTO(job).encodeResponse(status: .accepted, for: req)
    }

    @Sendable func list(req: Request) async throws -> RerunStandingDTO {
        let order = try await OrderRequests(req, services: services).order()
        let orderID = try order.requireID()
        let standing = try await Reruns.standing(of: orderID, on: req.db)
        let jobs = try await Reruns.jobs(of: orderID, on: req.db)
        return RerunStandingDTO(creditsLeft: standing.credits, possible: order.status == .completed && standing.canStart,
                                selfiesKept: standing.selfiesKept,
                                selfiesDeletedAt: try await Retention.dates(of: order, policy: services.config.retention, on: req.db).selfies,
                                reruns: try jobs.map(RerunDTO.init))
    }
}
