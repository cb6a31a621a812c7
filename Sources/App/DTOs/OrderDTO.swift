import FluentKit
import HeadshotCore
import Vapor

struct OrderDTO: Content {
    let id: UUID
    let status: OrderStatus
    let packageName: String?
    let headshotCount: Int?
    let createdAt: Date?
    let statusChangedAt: Date?
    /// A name a person recognises: "Order of 27 November 2026".
    let label: String
    /// The picture the order is recognised by (its first headshot, else its first good selfie), if any.
    var thumbnailURL: String?
    /// Why styles meant for the GPU model were made by the studio renderer, when some were.
    let studioFallback: String?
    /// The team whose seat pays for it, for a team member's order.
    let teamID: UUID?
    /// The colour its drawn backdrops are painted in (the team's brand colour), when it has one.
    let backdropColour: String?

    init(_ order: Order, thumbnailURL: String? = nil) throws {
        id = try order.requireID()
        status = order.status
        packageName = order.$package.value??.name
        headshotCount = order.headshotCount
        createdAt = order.createdAt
        statusChangedAt = order.statusChangedAt
        label = Self.label(createdAt: order.createdAt)
        self.thumbnailURL = thumbnailURL
        studioFallback = OrderFallback.sentence(order.studioFallback)
        teamID = order.teamID
        backdropColour = order.backdropColour
    }

    /// An order as the core's listing reads it (`OrderListing`).
    init(listed row: OrderListing.Row) {
        id = row.id
        status = row.status
        packageName = row.packageName
        headshotCount = row.headshotCount
        createdAt = row.createdAt
        statusChangedAt = row.statusChangedAt
        label = Self.label(createdAt: row.createdAt)
        thumbnailURL = nil
        studioFallback = OrderFallback.sentence(row.studioFallback)
        teamID = row.teamID
        backdropColour = row.backdropColour
    }

    /// "Order of 27 November 2026", or "Your order" before it is saved.
    private static func label(createdAt: Date?) -> String {
        createdAt.map { "Order of " + DateText.long($0) } ?? "Your order"
    }

}

/// The order lists of the pages and the API: the core's listing (`OrderListing`), each order with its
/// picture linked on the caller's routes.
enum Orders {
    /// A user's orders, newest first, deleted ones left out, each with its picture linked on
    /// `thumbnails`' routes (none when nil: a list that shows no pictures does not look them up).
    static func list(for user: User, thumbnails: OrderRequests.ThumbnailRoute?, on db: any Database) async throws -> [OrderDTO] {
        let owner = try user.requireID()
        var orders = try await OrderListing.orders(of: owner, on: db).map(OrderDTO.init(listed:))
        guard let thumbnails, !orders.isEmpty else { return orders }
        let covers = try await self.covers(of: orders.map(\.id), owner: owner, route: thumbnails, on: db)
        for index in orders.indices { orders[index].thumbnailURL = covers[orders[index].id] }
        return orders
    }

    /// The picture each order is recognised by (`OrderListing.covers`), as a link on `route`.
    static func covers(of orders: [UUID], owner: UUID, route: OrderRequests.ThumbnailRoute, on db: any Database) async throws -> [UUID: String] {
        var links: [UUID: String] = [:]
        for (order, cover) in try await OrderListing.covers(of: orders, owner: owner, on: db) {
            links[order] = switch cover {
            case .headshot(let headshot): route.url(order: order, headshot: headshot)
            case .photo(let photo): route.url(order: order, photo: photo)
            }
        }
        return links
    }
}
