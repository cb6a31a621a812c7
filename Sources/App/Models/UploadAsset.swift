import Fluent
import Foundation

/// One selfie uploaded to an order: only the normalised, metadata-free copy is stored.
public final class UploadAsset: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "upload_assets"
    public static let auditSubject = "upload"

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
    @Field(key: "status") public var status: UploadStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @Field(key: "blob_key") public var blobKey: String
    @Field(key: "original_filename") public var originalFilename: String
    @Field(key: "byte_size") public var byteSize: Int
    @OptionalField(key: "width") public var width: Int?
    @OptionalField(key: "height") public var height: Int?
    @OptionalField(key: "quality_score") public var qualityScore: Int?
    /// The quality gate's findings as JSON.
    @OptionalField(key: "findings") public var findings: String?
    /// pass, warn or fail: the photo's own verdict (set checks are computed over the set on demand).
    @OptionalField(key: "verdict") public var verdict: String?
    /// The 128-d face descriptor, base64 of little-endian floats. Biometric: cleared on deletion.
    @OptionalField(key: "face_descriptor") public var faceDescriptor: String?
    /// When retention deletes this photo.
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, orderID: UUID, blobKey: String, originalFilename: String, byteSize: Int) {
        self.id = id
        self.$order.id = orderID
        self.status = .received
        self.blobKey = blobKey
        self.originalFilename = originalFilename
        self.byteSize = byteSize
    }
}
