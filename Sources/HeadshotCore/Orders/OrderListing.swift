import FluentKit
import Foundation
import SQLKit

/// A person's orders as a list shows them, and the picture each is recognised by: the dashboard, the
/// API's order list and the contact form read them. Prepared reads (`PreparedRead`) of the columns a
/// listing shows: the dashboard makes them on every view, and decoding whole orders and packages was most
/// of its CPU.
package enum OrderListing {
    /// An order's listed columns and its package's name.
    package struct Row: Sendable {
        package let id: UUID
        package let status: OrderStatus
        package let packageName: String?
        package let headshotCount: Int?
        package let createdAt: Date?
        package let statusChangedAt: Date?
        package let studioFallback: String?
        package let teamID: UUID?
        package let backdropColour: String?

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            let status = try row.decode(column: "status", as: String.self)
            guard let known = OrderStatus(rawValue: status) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "order status \(status)")) }
            self.status = known
            packageName = try row.decode(column: "package_name", as: String?.self)
            headshotCount = try row.decode(column: "headshot_count", as: Int?.self)
            createdAt = try row.decode(column: "created_at", as: Date?.self)
            statusChangedAt = try row.decode(column: "status_changed_at", as: Date?.self)
            studioFallback = try row.decode(column: "studio_fallback", as: String?.self)
            teamID = try row.decode(column: "team_id", as: UUID?.self)
            backdropColour = try row.decode(column: "backdrop_colour", as: String?.self)
        }
    }

    /// The picture an order is recognised by: one of its delivered headshots, or one of its selfies.
    package enum Cover: Sendable, Equatable {
        case headshot(UUID)
        case photo(UUID)
    }

    /// The owner's headshot orders, not deleted, newest first.
    package static func orders(of owner: UUID, on db: any Database) async throws -> [Row] {
        try await PreparedReads.rows(OwnedOrders.self, [owner, OrderStatus.deleted.rawValue, Order.Kind.headshots.rawValue], on: db)
            .map(Row.init)
    }

    /// The picture each of the owner's orders is recognised by: its first delivered headshot while the
    /// owner may see it (being made, or completed and not refunded), else its first good selfie still
    /// kept. One prepared read for the headshots of all the owner's orders, and one more only for
    /// orders that have none to show.
    package static func covers(of orders: [UUID], owner: UUID, on db: any Database) async throws -> [UUID: Cover] {
        guard !orders.isEmpty else { return [:] }
        let wanted = Set(orders)
        let made = OrderStatus.beingMade.map(\.rawValue)
        precondition(made.count == 3, "HeadshotCovers names three statuses of an order being made")
        let firsts = try await PreparedReads.rows(HeadshotCovers.self, [
            owner, Order.Kind.headshots.rawValue, GeneratedAssetStatus.ready.rawValue,
            made[0], made[1], made[2], OrderStatus.completed.rawValue, EntitlementStatus.revoked.rawValue,
        ], on: db)
        var covers: [UUID: Cover] = [:]
        for (order, headshot) in try firstPerOrder(firsts) where wanted.contains(order) {
            covers[order] = .headshot(headshot)
        }
        let rest = orders.filter { covers[$0] == nil }
        if !rest.isEmpty {
            let selfies = try await db.sql().select().column("order_id").column("id").from(UploadAsset.schema)
                .where("order_id", .in, rest).where("status", .equal, UploadStatus.accepted.rawValue)
                .orderBy("created_at").orderBy("id").all()
            for (order, photo) in try firstPerOrder(selfies) { covers[order] = .photo(photo) }
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
        package static let name = "owned_orders"
        package static let sql = """
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
        package static let name = "order_headshot_covers"
        package static let sql = """
            SELECT g.order_id, g.id FROM generated_assets g JOIN orders o ON o.id = g.order_id
            WHERE o.user_id = $1 AND o.kind = $2 AND g.status = $3 AND g.sequence < 4
              AND (o.status IN ($4, $5, $6)
                   OR (o.status = $7 AND EXISTS (SELECT 1 FROM entitlements e WHERE e.order_id = o.id AND e.status <> $8)))
            ORDER BY g.sequence, g.created_at
            """
    }
}
