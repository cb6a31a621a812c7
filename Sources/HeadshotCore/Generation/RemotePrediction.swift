import FluentKit
import Foundation

/// One prediction asked of the remote provider for a job: which headshots of the job it serves, and
/// what the provider last said of it (from a webhook or a read). Its cost is `predictTime` seconds
/// at the configured price.
package final class RemotePrediction: Model, @unchecked Sendable {
    package static let schema = "remote_predictions"

    @ID package var id: UUID?
    @Parent(key: "job_id") package var job: GenerationJob
    @Field(key: "order_id") package var orderID: UUID
    /// The provider's id (unique).
    @Field(key: "provider_id") package var providerID: String
    @Field(key: "preset") package var preset: String
    /// The job's headshot numbers this prediction's outputs become, comma-separated.
    @Field(key: "indices") package var indices: String
    /// The provider's status: starting, processing, succeeded, failed, canceled, aborted.
    @Field(key: "status") package var status: String
    /// The outputs (URLs or data URIs) as a JSON list, once it succeeded.
    @OptionalField(key: "outputs") package var outputs: String?
    @OptionalField(key: "error") package var error: String?
    @OptionalField(key: "predict_time") package var predictTime: Double?
    /// The configured price per billed second when it was asked for.
    @OptionalField(key: "price_per_second") package var pricePerSecond: Double?
    @OptionalField(key: "get_url") package var getURL: String?
    @OptionalField(key: "cancel_url") package var cancelURL: String?
    @OptionalField(key: "completed_at") package var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(jobID: UUID, orderID: UUID, prediction: Prediction, preset: String, indices: [Int]) {
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
    package var cost: Double { (predictTime ?? 0) * (pricePerSecond ?? 0) }

    package var isFinal: Bool { Prediction.Status(rawValue: status)?.isFinal ?? true }
}

/// A webhook the provider delivered, by its `webhook-id`: each is processed once.
package final class RemoteWebhookDelivery: Model, @unchecked Sendable {
    package static let schema = "remote_webhook_deliveries"

    @ID package var id: UUID?
    @Field(key: "webhook_id") package var webhookID: String
    @Field(key: "provider_id") package var providerID: String
    @Field(key: "received_at") package var receivedAt: Date

    package init() {}

    package init(webhookID: String, providerID: String, at time: Date) {
        self.webhookID = webhookID
        self.providerID = providerID
        receivedAt = time
    }
}
