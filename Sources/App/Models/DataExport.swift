import Fluent
import Foundation

/// A copy of everything the service holds about a user (GDPR Art. 20), prepared in the background as
/// a ZIP in storage under a scope of its own, linked by email for 24 hours, deleted after 7 days.
public final class DataExport: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "data_exports"
    public static let auditSubject = "data_export"

    @ID public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "status") public var status: DataExportStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @OptionalField(key: "blob_key") public var blobKey: String?
    @OptionalField(key: "byte_size") public var byteSize: Int?
    @OptionalField(key: "ready_at") public var readyAt: Date?
    /// When the ZIP is deleted (7 days after it is ready).
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "attempts") public var attempts: Int?
    @OptionalField(key: "run_at") public var runAt: Date?
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_token") public var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, userID: UUID, runAt: Date) {
        self.id = id
        self.userID = userID
        self.status = .requested
        self.attempts = 0
        self.runAt = runAt
    }

    /// The storage scope of the export's ZIP (its own data key, destroyed with it).
    static func scope(_ id: UUID) -> String { "export-" + id.uuidString.lowercased() }
}
