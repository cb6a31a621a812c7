import FluentKit
import Foundation

/// One checkout session opened at the gateway for an order, with exactly what it sells. An order
/// whose customer restarts checkout has several: the newest is the order's (`orders.checkout_reference`),
/// the others are superseded and expired at the gateway. A payment that still arrives for a superseded
/// session is fulfilled as what that session sold, or refunded; never dropped, never upgraded.
package final class CheckoutSessionRecord: Model, @unchecked Sendable {
    package static let schema = "checkout_sessions"

    @ID package var id: UUID?
    @Field(key: "order_id") package var orderID: UUID
    @Field(key: "gateway") package var gateway: String
    /// The gateway's session id (`cs_…`).
    @Field(key: "reference") package var reference: String
    @Field(key: "package_id") package var packageID: UUID
    @Field(key: "amount_minor") package var amountMinor: Int
    @Field(key: "currency") package var currency: String
    @Field(key: "headshot_count") package var headshotCount: Int
    @OptionalField(key: "presets") package var presets: String?
    @Field(key: "created_at") package var createdAt: Date
    @OptionalField(key: "superseded_at") package var supersededAt: Date?

    package init() {}

    package init(order: Order, gateway: String, reference: String, at now: Date) throws {
        guard let packageID = order.$package.id, let amount = order.amountMinor, let currency = order.currency else {
            throw Failure(.conflict, "The order has no package to sell.")
        }
        self.orderID = try order.requireID()
        self.gateway = gateway
        self.reference = reference
        self.packageID = packageID
        self.amountMinor = amount
        self.currency = currency
        self.headshotCount = order.headshotCount ?? 0
        self.presets = order.presets
        self.createdAt = now
    }

    /// Makes the order sell what this session sold (a late payment of a superseded session).
    package func apply(to order: Order) {
        order.$package.id = packageID
        order.amountMinor = amountMinor
        order.currency = currency
        order.headshotCount = headshotCount
        order.presets = presets
        order.checkoutReference = reference
    }
}
