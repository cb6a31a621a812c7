import FluentKit
import Foundation
import Imaging

/// One delivered headshot.
package final class GeneratedAsset: Model, StatusTracked, @unchecked Sendable {
    package static let schema = "generated_assets"
    package static let auditSubject = "headshot"

    @ID package var id: UUID?
    @Parent(key: "order_id") package var order: Order
    @OptionalParent(key: "job_id") package var job: GenerationJob?
    @Field(key: "preset") package var preset: String
    /// Its number within the job, 0..<total (unique per job).
    @Field(key: "sequence") package var sequence: Int
    @Field(key: "blob_key") package var blobKey: String
    @Field(key: "width") package var width: Int
    @Field(key: "height") package var height: Int
    /// Face-descriptor distance to the customer's reference photos (lower is more alike).
    @OptionalField(key: "identity_distance") package var identityDistance: Double?
    /// The planned shot it was drawn as (`StudioShot.code`), when the studio renderer made it.
    @OptionalField(key: "shot") package var shot: String?
    /// How it was made (`HeadshotOrigin`); nil for the studio renderer, which made every earlier headshot.
    @OptionalField(key: "origin") package var originCode: String?
    /// Marked by the customer in the gallery.
    @Field(key: "favourite") package var favourite: Bool
    @Field(key: "status") package var status: GeneratedAssetStatus
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @OptionalField(key: "expires_at") package var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package var origin: HeadshotOrigin { originCode.flatMap(HeadshotOrigin.init(rawValue:)) ?? .studio }

    package init(id: UUID? = nil, orderID: UUID, jobID: UUID?, sequence: Int, preset: String, blobKey: String, width: Int, height: Int,
                identityDistance: Double? = nil, expiresAt: Date? = nil) {
        self.id = id
        self.$order.id = orderID
        self.$job.id = jobID
        self.sequence = sequence
        self.identityDistance = identityDistance
        self.expiresAt = expiresAt
        self.preset = preset
        self.blobKey = blobKey
        self.width = width
        self.height = height
        self.status = .ready
        self.favourite = false
    }
}
