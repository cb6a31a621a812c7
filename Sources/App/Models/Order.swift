import Fluent
import Foundation

/// A customer's request for headshots, from draft through payment to delivery.
/// Price and count are copied from the package when checkout starts, so later price edits never
/// change what a customer was charged or is owed.
public final class Order: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "orders"
    public static let auditSubject = "order"

    /// A headshot order, or a team's purchase of seats (which is paid like one and makes nothing).
    public enum Kind: String, Codable, Sendable {
        case headshots
        case teamSeats = "team_seats"
    }

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "kind") public var kind: Kind
    /// The team that pays: for a member's order, the team whose seat paid for it; for a seat purchase, the buying team.
    @OptionalField(key: "team_id") public var teamID: UUID?
    /// A seat purchase: how many seats it buys.
    @OptionalField(key: "seat_count") public var seatCount: Int?
    @OptionalParent(key: "package_id") public var package: Package?
    @Field(key: "status") public var status: OrderStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @OptionalField(key: "headshot_count") public var headshotCount: Int?
    @OptionalField(key: "amount_minor") public var amountMinor: Int?
    @OptionalField(key: "currency") public var currency: String?
    /// Chosen style presets, comma-separated codes (see `StylePreset`).
    @OptionalField(key: "presets") public var presets: String?
    /// The re-run credits the package included when the order was checked out (a later change to the package does not alter it).
    @OptionalField(key: "rerun_credits") public var rerunCredits: Int?
    /// The colour every drawn backdrop of this order is painted in (`#rrggbb`): the paying team's brand
    /// colour when the member submitted; nil for a preset's own colours.
    @OptionalField(key: "backdrop_colour") public var backdropColour: String?
    /// Why styles meant for the remote GPU model were rendered by the studio renderer instead (shown on the order page).
    @OptionalField(key: "studio_fallback") public var studioFallback: String?
    /// A legal hold: while set, retention keeps this data. Staff-only; the customer is told a hold exists, never why.
    @OptionalField(key: "legal_hold_reason") public var legalHoldReason: String?
    @OptionalField(key: "legal_hold_at") public var legalHoldAt: Date?
    /// The set checks for the current photos (`PhotoSet`), keyed by their ids; recomputed when they change.
    @OptionalField(key: "photo_set_cache") var photoSetCache: String?
    /// The consent the customer gave before paying: which policy text, and when.
    @OptionalField(key: "consent_version") public var consentVersion: String?
    @OptionalField(key: "consented_at") public var consentedAt: Date?
    @OptionalField(key: "payment_gateway") public var paymentGateway: String?
    /// The provider's checkout session id; webhooks must name this one.
    @OptionalField(key: "checkout_reference") public var checkoutReference: String?
    /// The provider's payment id, for refunds.
    @OptionalField(key: "payment_reference") public var paymentReference: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$order) public var uploads: [UploadAsset]

    public init() {}

    public init(id: UUID? = nil, userID: UUID, status: OrderStatus = .draft) {
        self.id = id
        self.$user.id = userID
        self.status = status
        self.kind = .headshots
    }
}
