import FluentKit
import Foundation

/// What a verified payment grants: created only from a verified payment webhook, one per order.
package final class Entitlement: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "entitlements"
    package static let auditSubject = "entitlement"

    @ID package var id: UUID?
    @Parent(key: "order_id") package var order: Order
    @Parent(key: "user_id") package var user: User
    @Parent(key: "package_id") package var package: Package
    @Field(key: "headshot_count") package var headshotCount: Int
    @Field(key: "rerun_credits") package var rerunCredits: Int
    @OptionalField(key: "payment_reference") package var paymentReference: String?
    @Field(key: "status") package var status: EntitlementStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, orderID: UUID, userID: UUID, packageID: UUID, headshotCount: Int, rerunCredits: Int, paymentReference: String?) {
        self.id = id
        self.$order.id = orderID
        self.$user.id = userID
        self.$package.id = packageID
        self.headshotCount = headshotCount
        self.rerunCredits = rerunCredits
        self.paymentReference = paymentReference
        self.status = .active
    }
}
