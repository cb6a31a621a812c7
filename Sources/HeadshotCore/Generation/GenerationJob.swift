import FluentKit
import Foundation

/// A unit of background work held in the database, claimed by one worker at a time under a lease.
package final class GenerationJob: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "generation_jobs"
    package static let auditSubject = "job"

    /// What a job makes: an order's headshots after payment, or a re-run of some of them.
    package enum Kind {
        package static let generate = "generate"
        package static let rerun = "rerun"
    }

    @ID package var id: UUID?
    @Parent(key: "order_id") package var order: Order
    @Field(key: "kind") package var kind: String
    @OptionalField(key: "payload") package var payload: String?
    @Field(key: "status") package var status: JobStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    /// Higher runs first.
    @Field(key: "priority") package var priority: Int
    @Field(key: "run_at") package var runAt: Date
    @Field(key: "attempts") package var attempts: Int
    @Field(key: "max_attempts") package var maxAttempts: Int
    @OptionalField(key: "lease_owner") package var leaseOwner: String?
    @OptionalField(key: "lease_token") package var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") package var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") package var lastError: String?
    @Field(key: "progress_done") package var progressDone: Int
    @Field(key: "progress_total") package var progressTotal: Int
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, orderID: UUID, kind: String, priority: Int, runAt: Date, maxAttempts: Int = 5, total: Int) {
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
