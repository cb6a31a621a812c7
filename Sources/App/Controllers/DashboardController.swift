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
        return DashboardPage.render(req, user: user, orders: try await Orders.list(for: user, thumbnails: .pages, on: req.db), notice: notice)
    }
}

enum Orders {
    /// A user's orders, newest first, deleted ones left out, each with its picture linked on
    /// `thumbnails`' routes (none when nil: a list that shows no pictures does not look them up).
    /// Two prepared reads (`PreparedRead`) of the columns a listing shows: the dashboard makes them on
    /// every view, and decoding whole orders and packages was most of its CPU.
    static func list(for user: User, thumbnails: OrderRequests.ThumbnailRoute?, on db: any Database) async throws -> [OrderDTO] {
        let owner = try user.requireID()
        var orders = try await PreparedReads.rows(OwnedOrders.self, [owner, OrderStatus.deleted.rawValue, Order.Kind.headshots.rawValue], on: db)
            .map(OrderDTO.init(listed:))
        guard let thumbnails, !orders.isEmpty else { return orders }
        let covers = try await self.covers(of: orders.map { ($0.id, $0.status) }, owner: owner, route: thumbnails, on: db)
        for index in orders.indices { orders[index].thumbnailURL = covers[orders[index].id] }
        return orders
    }

    /// The picture each of the owner's orders is recognised by: its first delivered headshot while the
    /// owner may see it (being made, or completed and not refunded), else its first good selfie still
    /// kept. One prepared read for the headshots of all the owner's orders, and one more only for
    /// orders that have none to show.
    static func covers(of orders: [(id: UUID, status: OrderStatus)], owner: UUID, route: OrderRequests.ThumbnailRoute,
                       on db: any Database) async throws -> [UUID: String] {
        guard !orders.isEmpty else { return [:] }
        let wanted = Set(orders.map(\.id))
        let made = OrderStatus.beingMade.map(\.rawValue)
        precondition(made.count == 3, "HeadshotCovers names three statuses of an order being made")
        let firsts = try await PreparedReads.rows(HeadshotCovers.self, [
            owner, Order.Kind.headshots.rawValue, GeneratedAssetStatus.ready.rawValue,
            made[0], made[1], made[2], OrderStatus.completed.rawValue, EntitlementStatus.revoked.rawValue,
        ], on: db)
        var covers: [UUID: String] = [:]
        for (order, headshot) in try firstPerOrder(firsts) where wanted.contains(order) {
            covers[order] = route.url(order: order, headshot: headshot)
        }
        let rest = orders.map(\.id).filter { covers[$0] == nil }
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

    /// The owner's orders of a kind, not deleted, newest first: the columns `OrderDTO(listed:)` reads.
    private enum OwnedOrders: PreparedRead {
        static let name = "owned_orders"
        static let sql = """
            SELECT o.id, o.status, p.name AS package_name, o.headshot_count, o.created_at, o.status_changed_at,
                   o.studio_fallback, o.team_id, o.backdrop_colour
            FROM orders o LEFT JOIN packages p ON p.id = o.package_id
            WHERE o.user_id = $1 AND o.status <> $2 AND o.kind = $3
            ORDER BY o.created_at DESC
            """
    }

    /// The first few delivered headshots of each of the owner's orders the owner may see: being made
    /// ($4–$6), or completed ($7) with an entitlement not revoked ($8).
    private enum HeadshotCovers: PreparedRead {
        static let name = "order_headshot_covers"
        static let sql = """
            SELECT g.order_id, g.id FROM generated_assets g JOIN orders o ON o.id = g.order_id
            WHERE o.user_id = $1 AND o.kind = $2 AND g.status = $3 AND g.sequence < 4
              AND (o.status IN ($4, $5, $6)
                   OR (o.status = $7 AND EXISTS (SELECT 1 FROM entitlements e WHERE e.order_id = o.id AND e.status <> $8)))
            ORDER BY g.sequence, g.created_at
            """
    }
}
