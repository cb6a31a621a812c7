import FluentKit
import Foundation

/// A request to delete an order's selfies, a whole order, or a whole account, and afterwards the
/// receipt that proves it. `user_id` is deliberately not a foreign key: the receipt outlives the
/// account it deleted. It holds no personal content once completed (the address the confirmation
/// goes to is forgotten when that mail is queued).
package final class DeletionRequest: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "deletion_requests"
    package static let auditSubject = "deletion"

    package enum Scope: String, Codable, Sendable, CaseIterable {
        /// One order's selfies: photos, both thumbnails and face descriptors; the headshots stay.
        case selfies
        /// One whole order: selfies, headshots, share links, favourites, download records.
        case order
        /// The whole account and everything under it.
        case account
    }

    @ID package var id: UUID?
    @Field(key: "user_id") package var userID: UUID
    @Field(key: "scope") package var scope: Scope
    @OptionalField(key: "order_id") package var orderID: UUID?
    @Field(key: "status") package var status: DeletionStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    /// The receipt's public id; with the secret (kept only as a hash) it opens the receipt signed out.
    @OptionalField(key: "receipt_id") package var receiptID: UUID?
    @OptionalField(key: "receipt_secret_hash") package var receiptSecretHash: String?
    /// Where the confirmation goes; erased when it is queued.
    @OptionalField(key: "notify_email") package var notifyEmail: String?
    /// What the request covers, taken once before anything is deleted (`DeletionInventory` as JSON).
    @OptionalField(key: "inventory") package var inventory: String?
    /// The receipt (`DeletionReceipt` as JSON), written when the request completes.
    @OptionalField(key: "receipt") package var receipt: String?
    @OptionalField(key: "key_destroyed_at") package var keyDestroyedAt: Date?
    @OptionalField(key: "completed_at") package var completedAt: Date?
    @OptionalField(key: "attempts") package var attempts: Int?
    @OptionalField(key: "run_at") package var runAt: Date?
    @OptionalField(key: "lease_owner") package var leaseOwner: String?
    @OptionalField(key: "lease_token") package var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") package var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") package var lastError: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, userID: UUID, scope: Scope, orderID: UUID?) {
        self.id = id
        self.userID = userID
        self.scope = scope
        self.orderID = orderID
        self.status = .requested
        self.attempts = 0
    }
}
