import Fluent
import HeadshotCore
import SiteRoutes
import SQLKit
import Vapor

struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.dashboard, use: dashboard)
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let notice = req.query[String.self, at: "notice"] == "draft-discarded" ? "The draft was discarded and its photos deleted." : nil
        return DashboardPage.render(req.viewer, user: user, orders: try await Orders.list(for: user, thumbnails: .pages, on: req.db), notice: notice)
    }
}
