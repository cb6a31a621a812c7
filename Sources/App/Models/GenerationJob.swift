import Fluent
import Foundation

/// A unit of background work held in the database, claimed by one worker at a time under a lease.
public final class GenerationJob: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "generation_jobs"
    public static let auditSubject = "job"

    /// What a job makes: an order's headshots after payment, or a re-run of some of them.
    public enum Kind {
        public static let generate = "generate"
        public static let rerun = "rerun"
    }

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "payload") public var payload: String?
    @Field(key: "status") public var status: JobStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    /// Higher runs first.
    @Field(key: "priority") public var priority: Int
    @Field(key: "run_at") public var runAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "max_attempts") public var maxAttempts: Int
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_token") public var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "progress_done") public var progressDone: Int
    @Field(key: "progress_total") public var progressTotal: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, orderID: UUID, kind: String, priority: Int, runAt: Date, maxAttempts: Int = 5, total: Int) {
        self.id = id
        self.$order.id = orderID
        self.kind = kind
        self.status = .queued
        self.priority = priority
        self.runAt = runAt
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.progressDone = 0
        self.progressTotal = total
    }
}
