import FluentKit
import Foundation

/// One selfie uploaded to an order: only the normalised, metadata-free copy is stored.
package final class UploadAsset: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "upload_assets"
    package static let auditSubject = "upload"

    @ID package var id: UUID?
    @Parent(key: "order_id") package var order: Order
    @Field(key: "status") package var status: UploadStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @Field(key: "blob_key") package var blobKey: String
    @Field(key: "original_filename") package var originalFilename: String
    @Field(key: "byte_size") package var byteSize: Int
    @OptionalField(key: "width") package var width: Int?
    @OptionalField(key: "height") package var height: Int?
    @OptionalField(key: "quality_score") package var qualityScore: Int?
    /// The quality gate's findings as JSON.
    @OptionalField(key: "findings") package var findings: String?
    /// pass, warn or fail: the photo's own verdict (set checks are computed over the set on demand).
    @OptionalField(key: "verdict") package var verdict: String?
    /// The 128-d face descriptor, base64 of little-endian floats. Biometric: cleared on deletion.
    @OptionalField(key: "face_descriptor") package var faceDescriptor: String?
    /// When retention deletes this photo.
    @OptionalField(key: "expires_at") package var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, orderID: UUID, blobKey: String, originalFilename: String, byteSize: Int) {
        self.id = id
        self.$order.id = orderID
        self.status = .received
        self.blobKey = blobKey
        self.originalFilename = originalFilename
        self.byteSize = byteSize
    }
}
