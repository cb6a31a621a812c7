import FluentKit
import Foundation

/// A hosted checkout of the built-in sandbox gateway.
package final class SandboxCheckout: Model, @unchecked Sendable {
    package static let schema = "sandbox_checkouts"

    package enum State: String, Codable, Sendable { case open, paid, expired }

    @ID package var id: UUID?
    /// The session id shown to our side, like Stripe's `cs_…`.
    @Field(key: "reference") package var reference: String
    @Field(key: "idempotency_key") package var idempotencyKey: String
    @Field(key: "order_id") package var orderID: UUID
    @Field(key: "amount_minor") package var amountMinor: Int
    @Field(key: "currency") package var currency: String
    @Field(key: "description") package var description: String
    @Field(key: "success_url") package var successURL: String
    @Field(key: "cancel_url") package var cancelURL: String
    @Field(key: "state") package var state: State
    @OptionalField(key: "payment_reference") package var paymentReference: String?
    @Field(key: "refunded_minor") package var refundedMinor: Int
    /// The refunds made so far, as "idempotency-key=refund-id" lines: a repeated call returns its refund.
    @OptionalField(key: "refund_keys") package var refundKeys: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

/// A webhook the sandbox owes our endpoint, retried with backoff until it is acknowledged.
package final class SandboxWebhook: Model, @unchecked Sendable {
    package static let schema = "sandbox_webhooks"

    @ID package var id: UUID?
    @Field(key: "payload") package var payload: String
    @Field(key: "attempts") package var attempts: Int
    @Field(key: "next_attempt_at") package var nextAttemptAt: Date
    @OptionalField(key: "delivered_at") package var deliveredAt: Date?
    @OptionalField(key: "last_status") package var lastStatus: Int?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(payload: String, at date: Date) {
        self.payload = payload
        self.attempts = 0
        self.nextAttemptAt = date
    }
}

extension SandboxCheckout {
    /// The checkout a hosted page names.
    package static func find(reference: String?, on db: any Database) async throws -> SandboxCheckout {
        guard let reference, let checkout = try await SandboxCheckout.query(on: db).filter(\.$reference == reference).first()
        else { throw Failure(.notFound, "This checkout does not exist.") }
        return checkout
    }

    package static let expired = Failure(.gone, "This checkout has expired because a newer one was started for the order. Go back to your order to pay.")

    /// Pays the open checkout with a test card that is accepted, and queues the signed
    /// `checkout.session.completed` webhook, as a provider does. Paying and expiring race like they do at
    /// a provider: only an open session can be paid (`expired` otherwise).
    package func pay(at now: Date, on db: any Database) async throws {
        let paymentIntent = "pi_sandbox_" + SecureToken.generate(prefix: "").prefix(24)
        try await db.transaction { tx in
            let opened = try await SandboxCheckout.query(on: tx).filter(\.$id == self.requireID()).filter(\.$state == .open).count()
            guard opened == 1 else { throw Self.expired }
            self.state = .paid
            self.paymentReference = paymentIntent
            try await self.save(on: tx)
            try await SandboxWebhooks.enqueue(type: "checkout.session.completed", object: [
                "id": self.reference, "object": "checkout.session", "payment_status": "paid", "status": "complete",
                "amount_total": self.amountMinor, "currency": self.currency.lowercased(),
                "client_reference_id": self.orderID.uuidString, "payment_intent": paymentIntent,
            ], on: tx, at: now)
        }
    }
}
