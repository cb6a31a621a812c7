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
    let thumbnailURL: String?
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
        label = order.createdAt.map { "Order of " + DateText.long($0) } ?? "Your order"
        self.thumbnailURL = thumbnailURL
        studioFallback = OrderFallback.sentence(order.studioFallback)
        teamID = order.teamID
        backdropColour = order.backdropColour
    }

    var statusLabel: String {
        switch status {
        case .draft: "Uploading photos"
        case .awaitingPayment: "Awaiting payment"
        case .paid: "Paid"
        case .queued: "In the queue"
        case .processing: "Being made"
        case .completed: "Ready"
        case .failed: "Failed"
        case .refunded: "Refunded"
        case .deleted: "Deleted"
        }
    }

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
