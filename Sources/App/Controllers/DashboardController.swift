import Fluent
import Vapor

struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.dashboard, use: dashboard)
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let notice = req.query[String.self, at: "notice"] == "draft-discarded" ? "The draft was discarded and its photos deleted." : nil
        return DashboardPage.render(req, user: user, orders: try await Orders.list(for: user, on: req.db), notice: notice)
    }
}

enum Orders {
    /// A user's orders, newest first, deleted ones left out.
    static func list(for user: User, on db: any Database) async throws -> [OrderDTO] {
        try await Order.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$status != .deleted)
            .with(\.$package).sort(\.$createdAt, .descending).all().map(OrderDTO.init)
    }
}
