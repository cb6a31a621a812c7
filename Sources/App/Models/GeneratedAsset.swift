import Fluent
import Foundation
import Imaging

/// One delivered headshot.
public final class GeneratedAsset: Model, StatusTracked, @unchecked Sendable {
    public static let schema = "generated_assets"
    public static let auditSubject = "headshot"

    @ID public var id: UUID?
    @Parent(key: "order_id") public var order: Order
    @OptionalParent(key: "job_id") public var job: GenerationJob?
    @Field(key: "preset") public var preset: String
    /// Its number within the job, 0..<total (unique per job).
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "blob_key") public var blobKey: String
    @Field(key: "width") public var width: Int
    @Field(key: "height") public var height: Int
    /// Face-descriptor distance to the customer's reference photos (lower is more alike).
    @OptionalField(key: "identity_distance") public var identityDistance: Double?
    /// The planned shot it was drawn as (`StudioShot.code`), when the studio renderer made it.
    @OptionalField(key: "shot") public var shot: String?
    /// How it was made (`HeadshotOrigin`); nil for the studio renderer, which made every earlier headshot.
    @OptionalField(key: "origin") public var originCode: String?
    /// Marked by the customer in the gallery.
    @Field(key: "favourite") public var favourite: Bool
    @Field(key: "status") public var status: GeneratedAssetStatus
    @OptionalField(key: "status_changed_at") public var statusChangedAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var origin: HeadshotOrigin { originCode.flatMap(HeadshotOrigin.init(rawValue:)) ?? .studio }

    public init(id: UUID? = nil, orderID: UUID, jobID: UUID?, sequence: Int, preset: String, blobKey: String, width: Int, height: Int,
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
