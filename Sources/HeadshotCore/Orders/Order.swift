import FluentKit
import Foundation

/// A customer's request for headshots, from draft through payment to delivery.
/// Price and count are copied from the package when checkout starts, so later price edits never
/// change what a customer was charged or is owed.
package final class Order: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "orders"
    package static let auditSubject = "order"

    /// A headshot order, or a team's purchase of seats (which is paid like one and makes nothing).
    package enum Kind: String, Codable, Sendable {
        case headshots
        case teamSeats = "team_seats"
    }

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Field(key: "kind") package var kind: Kind
    /// The team that pays: for a member's order, the team whose seat paid for it; for a seat purchase, the buying team.
    @OptionalField(key: "team_id") package var teamID: UUID?
    /// A seat purchase: how many seats it buys.
    @OptionalField(key: "seat_count") package var seatCount: Int?
    @OptionalParent(key: "package_id") package var package: Package?
    @Field(key: "status") package var status: OrderStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @OptionalField(key: "headshot_count") package var headshotCount: Int?
    @OptionalField(key: "amount_minor") package var amountMinor: Int?
    @OptionalField(key: "currency") package var currency: String?
    /// Chosen style presets, comma-separated codes (see `StylePreset`).
    @OptionalField(key: "presets") package var presets: String?
    /// The re-run credits the package included when the order was checked out (a later change to the package does not alter it).
    @OptionalField(key: "rerun_credits") package var rerunCredits: Int?
    /// The colour every drawn backdrop of this order is painted in (`#rrggbb`): the paying team's brand
    /// colour when the member submitted; nil for a preset's own colours.
    @OptionalField(key: "backdrop_colour") package var backdropColour: String?
    /// Why styles meant for the remote GPU model were rendered by the studio renderer instead (shown on the order page).
    @OptionalField(key: "studio_fallback") package var studioFallback: String?
    /// A legal hold: while set, retention keeps this data. Staff-only; the customer is told a hold exists, never why.
    @OptionalField(key: "legal_hold_reason") package var legalHoldReason: String?
    @OptionalField(key: "legal_hold_at") package var legalHoldAt: Date?
    /// The set checks for the current photos (`PhotoSet`), keyed by their ids; recomputed when they change.
    @OptionalField(key: "photo_set_cache") package var photoSetCache: String?
    /// The consent the customer gave before paying: which policy text, and when.
    @OptionalField(key: "consent_version") package var consentVersion: String?
    @OptionalField(key: "consented_at") package var consentedAt: Date?
    @OptionalField(key: "payment_gateway") package var paymentGateway: String?
    /// The provider's checkout session id; webhooks must name this one.
    @OptionalField(key: "checkout_reference") package var checkoutReference: String?
    /// The provider's payment id, for refunds.
    @OptionalField(key: "payment_reference") package var paymentReference: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    @Children(for: \.$order) package var uploads: [UploadAsset]

    package init() {}

    package init(id: UUID? = nil, userID: UUID, status: OrderStatus = .draft) {
        self.id = id
        self.$user.id = userID
        self.status = status
        self.kind = .headshots
    }
}
