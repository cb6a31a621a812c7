import Fluent
import Foundation

/// A customer's request for headshots, from draft through payment to delivery.
/// Price and count are copied from the package when checkout starts, so later price edits never
/// change what a customer was charged or is owed.
public final class Order: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "orders"
    public static let auditSubject = "order"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @OptionalParent(key: "package_id") public var package: Package?
    @Field(key: "status") public var status: OrderStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @OptionalField(key: "headshot_count") public var headshotCount: Int?
    @OptionalField(key: "amount_minor") public var amountMinor: Int?
    @OptionalField(key: "currency") public var currency: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$order) public var uploads: [UploadAsset]

    public init() {}

    public init(id: UUID? = nil, userID: UUID, status: OrderStatus = .draft) {
        self.id = id
        self.$user.id = userID
        self.status = status
    }
}
