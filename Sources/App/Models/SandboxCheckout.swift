import Fluent
import Foundation

/// A hosted checkout of the built-in sandbox gateway.
public final class SandboxCheckout: Model, @unchecked Sendable {
    public static let schema = "sandbox_checkouts"

    public enum State: String, Codable, Sendable { case open, paid, expired }

    @ID public var id: UUID?
    /// The session id shown to our side, like Stripe's `cs_…`.
    @Field(key: "reference") public var reference: String
    @Field(key: "idempotency_key") public var idempotencyKey: String
    @Field(key: "order_id") public var orderID: UUID
    @Field(key: "amount_minor") public var amountMinor: Int
    @Field(key: "currency") public var currency: String
    @Field(key: "description") public var description: String
    @Field(key: "success_url") public var successURL: String
    @Field(key: "cancel_url") public var cancelURL: String
    @Field(key: "state") public var state: State
    @OptionalField(key: "payment_reference") public var paymentReference: String?
    @Field(key: "refunded_minor") public var refundedMinor: Int
    /// The refunds made so far, as "idempotency-key=refund-id" lines: a repeated call returns its refund.
    @OptionalField(key: "refund_keys") public var refundKeys: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A webhook the sandbox owes our endpoint, retried with backoff until it is acknowledged.
public final class SandboxWebhook: Model, @unchecked Sendable {
    public static let schema = "sandbox_webhooks"

    @ID public var id: UUID?
    @Field(key: "payload") public var payload: String
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "delivered_at") public var deliveredAt: Date?
    @OptionalField(key: "last_status") public var lastStatus: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(payload: String, at date: Date) {
        self.payload = payload
        self.attempts = 0
        self.nextAttemptAt = date
    }
}
