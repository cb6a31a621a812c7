import Fluent
import Foundation

/// A request to delete an order's data or a whole account, and afterwards the receipt that proves it.
/// `user_id` is deliberately not a foreign key: the receipt outlives the account it deleted.
public final class DeletionRequest: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "deletion_requests"
    public static let auditSubject = "deletion"

    public enum Scope: String, Codable, Sendable { case order, account }

    @ID public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "scope") public var scope: Scope
    @OptionalField(key: "order_id") public var orderID: UUID?
    @Field(key: "status") public var status: DeletionStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    /// What was deleted (counts, blob keys' digests, times) as JSON, shown to the user as proof.
    @OptionalField(key: "receipt") public var receipt: String?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, scope: Scope, orderID: UUID?) {
        self.id = id
        self.userID = userID
        self.scope = scope
        self.orderID = orderID
        self.status = .requested
    }
}
