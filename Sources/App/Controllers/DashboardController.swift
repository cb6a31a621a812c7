import Fluent
import SQLKit
import Vapor

struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.dashboard, use: dashboard)
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let notice = req.query[String.self, at: "notice"] == "draft-discarded" ? "The draft was discarded and its photos deleted." : nil
        return DashboardPage.render(req, user: user, orders: try await Orders.list(for: user, thumbnails: .pages, on: req.db), notice: notice)
    }
}

enum Orders {
    /// A user's orders, newest first, deleted ones left out, each with its picture linked on
    /// `thumbnails`' routes (none when nil: a list that shows no pictures does not look them up).
    static func list(for user: User, thumbnails: OrderRequests.ThumbnailRoute?, on db: any Database) async throws -> [OrderDTO] {
        let orders = try await Order.withPackage("""
            WHERE "orders"."user_id" = \(bind: try user.requireID()) AND "orders"."status" <> \(bind: OrderStatus.deleted.rawValue)
            AND "orders"."kind" = \(bind: Order.Kind.headshots.rawValue) ORDER BY "orders"."created_at" DESC
            """, on: db)
        var covers: [UUID: String] = [:]
        if let thumbnails { covers = try await self.covers(of: orders, route: thumbnails, on: db) }
        return try orders.map { try OrderDTO($0, thumbnailURL: covers[try $0.requireID()]) }
    }

    /// The picture each order is recognised by: its first delivered headshot while the owner may see
    /// it (being made, or completed and not refunded), else its first good selfie still kept. Three
    /// queries whatever the number of orders.
    static func covers(of orders: [Order], route: OrderRequests.ThumbnailRoute, on db: any Database) async throws -> [UUID: String] {
        let ids = try orders.map { try $0.requireID() }
        guard !ids.isEmpty else { return [:] }
        let completed = try orders.filter { $0.status == .completed }.map { try $0.requireID() }
        let served = completed.isEmpty ? Set<UUID>() : Set(try await Entitlement.query(on: db).filter(\.$order.$id ~~ completed)
            .filter(\.$status != .revoked).all().map(\.$order.id))
        let showing = Set(try orders.filter { order in
            try OrderStatus.beingMade.contains(order.status) || served.contains(order.requireID())
        }.map { try $0.requireID() })
        var covers: [UUID: String] = [:]
        if !showing.isEmpty {
            // Ids only, read as such: the dashboard shows one picture per order.
            let firsts = try await db.sql().select().column("order_id").column("id").from(GeneratedAsset.schema)
                .where("order_id", .in, Array(showing)).where("status", .equal, GeneratedAssetStatus.ready.rawValue)
                .where("sequence", .lessThan, 4).orderBy("sequence").orderBy("created_at").all()
            for (order, headshot) in try firstPerOrder(firsts) { covers[order] = route.url(order: order, headshot: headshot) }
        }
        let rest = ids.filter { covers[$0] == nil }
        if !rest.isEmpty {
            let selfies = try await db.sql().select().column("order_id").column("id").from(UploadAsset.schema)
                .where("order_id", .in, rest).where("status", .equal, UploadStatus.accepted.rawValue)
                .orderBy("created_at").orderBy("id").all()
            for (order, photo) in try firstPerOrder(selfies) { covers[order] = route.url(order: order, photo: photo) }
        }
        return covers
    }

    /// The first `id` of each `order_id` among `rows` (in their order).
    private static func firstPerOrder(_ rows: [any SQLRow]) throws -> [UUID: UUID] {
        var first: [UUID: UUID] = [:]
        for row in rows {
            let order = try row.decode(column: "order_id", as: UUID.self)
            if first[order] == nil { first[order] = try row.decode(column: "id", as: UUID.self) }
        }
        return first
    }
}
