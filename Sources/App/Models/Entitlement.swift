import Fluent
import Foundation

/// What a verified payment grants: created only from a verified payment webhook, one per order.
public final class Entitlement: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "entitlements"
    public static let auditSubject = "entitlement"

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
    @Parent(key: "user_id") public var user: User
    @Parent(key: "package_id") public var package: Package
    @Field(key: "headshot_count") public var headshotCount: Int
    @Field(key: "rerun_credits") public var rerunCredits: Int
    @OptionalField(key: "payment_reference") public var paymentReference: String?
    @Field(key: "status") public var status: EntitlementStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, orderID: UUID, userID: UUID, packageID: UUID, headshotCount: Int, rerunCredits: Int, paymentReference: String?) {
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
