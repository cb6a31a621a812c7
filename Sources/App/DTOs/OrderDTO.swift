import HeadshotCore
import SQLKit
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

    /// A row of `Orders.list`'s read: the order's listed columns and its package's name.
    init(listed row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        let status = try row.decode(column: "status", as: String.self)
        guard let known = OrderStatus(rawValue: status) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "order status \(status)")) }
        self.status = known
        packageName = try row.decode(column: "package_name", as: String?.self)
        headshotCount = try row.decode(column: "headshot_count", as: Int?.self)
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        statusChangedAt = try row.decode(column: "status_changed_at", as: Date?.self)
        label = Self.label(createdAt: createdAt)
        thumbnailURL = nil
        studioFallback = OrderFallback.sentence(try row.decode(column: "studio_fallback", as: String?.self))
        teamID = try row.decode(column: "team_id", as: UUID?.self)
        backdropColour = try row.decode(column: "backdrop_colour", as: String?.self)
    }

    /// "Order of 27 November 2026", or "Your order" before it is saved.
    private static func label(createdAt: Date?) -> String {
        createdAt.map { "Order of " + DateText.long($0) } ?? "Your order"
    }

    var statusLabel: String { status.label }

    enum CodingKeys: String, CodingKey {
        case id, status
        case packageName = "package_name"
        case headshotCount = "headshot_count"
        case createdAt = "created_at"
        case statusChangedAt = "status_changed_at"
        case label
        case thumbnailURL = "thumbnail_url"
        case studioFallback = "studio_fallback"
        case teamID = "team_id"
        case backdropColour = "backdrop_colour"
    }
}
