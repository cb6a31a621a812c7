import Fluent
import Foundation

/// A request to delete an order's selfies, a whole order, or a whole account, and afterwards the
/// receipt that proves it. `user_id` is deliberately not a foreign key: the receipt outlives the
/// account it deleted. It holds no personal content once completed (the address the confirmation
/// goes to is forgotten when that mail is queued).
public final class DeletionRequest: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "deletion_requests"
    public static let auditSubject = "deletion"

    public enum Scope: String, Codable, Sendable, CaseIterable {
        /// One order's selfies: photos, both thumbnails and face descriptors; the headshots stay.
        case selfies
        /// One whole order: selfies, headshots, share links, favourites, download records.
        case order
        /// The whole account and everything under it.
        case account
    }

    @ID public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "scope") public var scope: Scope
    @OptionalField(key: "order_id") public var orderID: UUID?
    @Field(key: "status") public var status: DeletionStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    /// The receipt's public id; with the secret (kept only as a hash) it opens the receipt signed out.
    @OptionalField(key: "receipt_id") public var receiptID: UUID?
    @OptionalField(key: "receipt_secret_hash") public var receiptSecretHash: String?
    /// Where the confirmation goes; erased when it is queued.
    @OptionalField(key: "notify_email") public var notifyEmail: String?
    /// What the request covers, taken once before anything is deleted (`DeletionInventory` as JSON).
    @OptionalField(key: "inventory") public var inventory: String?
    /// The receipt (`DeletionReceipt` as JSON), written when the request completes.
    @OptionalField(key: "receipt") public var receipt: String?
    @OptionalField(key: "key_destroyed_at") public var keyDestroyedAt: Date?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "attempts") public var attempts: Int?
    @OptionalField(key: "run_at") public var runAt: Date?
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_token") public var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, scope: Scope, orderID: UUID?) {
        self.id = id
        self.userID = userID
        self.scope = scope
        self.orderID = orderID
        self.status = .requested
        self.attempts = 0
    }
}
