import Fluent
import Foundation

/// One prediction asked of the remote provider for a job: which headshots of the job it serves, and
/// what the provider last said of it (from a webhook or a read). Its cost is `predictTime` seconds
/// at the configured price.
public final class RemotePrediction: Model, @unchecked Sendable {
    public static let schema = "remote_predictions"

    @ID public var id: UUID?
    @Parent(key: "job_id") public var job: GenerationJob
    @Field(key: "order_id") public var orderID: UUID
    /// The provider's id (unique).
    @Field(key: "provider_id") public var providerID: String
    @Field(key: "preset") public var preset: String
    /// The job's headshot numbers this prediction's outputs become, comma-separated.
    @Field(key: "indices") public var indices: String
    /// The provider's status: starting, processing, succeeded, failed, canceled, aborted.
    @Field(key: "status") public var status: String
    /// The outputs (URLs or data URIs) as a JSON list, once it succeeded.
    @OptionalField(key: "outputs") public var outputs: String?
    @OptionalField(key: "error") public var error: String?
    @OptionalField(key: "predict_time") public var predictTime: Double?
    /// The configured price per billed second when it was asked for.
    @OptionalField(key: "price_per_second") public var pricePerSecond: Double?
    @OptionalField(key: "get_url") public var getURL: String?
    @OptionalField(key: "cancel_url") public var cancelURL: String?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    init(jobID: UUID, orderID: UUID, prediction: Prediction, preset: String, indices: [Int]) {
        self.$job.id = jobID
        self.orderID = orderID
        providerID = prediction.id
        self.preset = preset
        self.indices = indices.map(String.init).joined(separator: ",")
        status = prediction.status.rawValue
        getURL = prediction.getURL
        cancelURL = prediction.cancelURL
    }

    /// What it cost at the provider, once it has billed seconds.
    var cost: Double { (predictTime ?? 0) * (pricePerSecond ?? 0) }

    var isFinal: Bool { Prediction.Status(rawValue: status)?.isFinal ?? true }
}

/// A webhook the provider delivered, by its `webhook-id`: each is processed once.
public final class RemoteWebhookDelivery: Model, @unchecked Sendable {
    public static let schema = "remote_webhook_deliveries"

    @ID public var id: UUID?
    @Field(key: "webhook_id") public var webhookID: String
    @Field(key: "provider_id") public var providerID: String
    @Field(key: "received_at") public var receivedAt: Date

    public init() {}

    init(webhookID: String, providerID: String, at time: Date) {
        self.webhookID = webhookID
        self.providerID = providerID
        receivedAt = time
    }
}
