import FluentKit
import Foundation

/// A copy of everything the service holds about a user (GDPR Art. 20), prepared in the background as
/// a ZIP in storage under a scope of its own, linked by email for 24 hours, deleted after 7 days.
package final class DataExport: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "data_exports"
    package static let auditSubject = "data_export"

    @ID package var id: UUID?
    @Field(key: "user_id") package var userID: UUID
    @Field(key: "status") package var status: DataExportStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @OptionalField(key: "blob_key") package var blobKey: String?
    @OptionalField(key: "byte_size") package var byteSize: Int?
    @OptionalField(key: "ready_at") package var readyAt: Date?
    /// When the ZIP is deleted (7 days after it is ready).
    @OptionalField(key: "expires_at") package var expiresAt: Date?
    @OptionalField(key: "attempts") package var attempts: Int?
    @OptionalField(key: "run_at") package var runAt: Date?
    @OptionalField(key: "lease_owner") package var leaseOwner: String?
    @OptionalField(key: "lease_token") package var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") package var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") package var lastError: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, userID: UUID, runAt: Date) {
        self.id = id
        self.userID = userID
        self.status = .requested
        self.attempts = 0
        self.runAt = runAt
    }

    /// The storage scope of the export's ZIP (its own data key, destroyed with it).
    package static func scope(_ id: UUID) -> String { "export-" + id.uuidString.lowercased() }
}
