import AsyncHTTPClient
import FluentKit
import Foundation
import NIOCore
import NIOHTTP1
import SiteRoutes

/// The built-in payment provider, so the product works with no account anywhere. It behaves like
/// Stripe from the outside: a hosted checkout page (`/sandbox/checkout/{id}`) that takes test cards,
/// then a webhook signed with Stripe's scheme, delivered to `/webhooks/sandbox` and retried until
/// acknowledged. It never moves real money.
package struct SandboxGateway: PaymentGateway {
    package let name = "sandbox"
    package let database: DatabaseProvider
    package let baseURL: URL
    /// Shared with our webhook endpoint, like a Stripe endpoint secret.
    package let webhookSecret: String

    package init(database: DatabaseProvider, baseURL: URL, webhookSecret: String) {
        self.database = database
        self.baseURL = baseURL
        self.webhookSecret = webhookSecret
    }

    package func createCheckout(_ request: CheckoutRequest) async throws -> CheckoutSession {
        let db = try database()
        if let existing = try await SandboxCheckout.query(on: db).filter(\.$idempotencyKey == request.idempotencyKey).first() {
            return session(existing.reference)
        }
        let checkout = SandboxCheckout()
        checkout.reference = "cs_sandbox_" + SecureToken.generate(prefix: "").prefix(24)
        checkout.idempotencyKey = request.idempotencyKey
        checkout.orderID = request.orderID
        checkout.amountMinor = request.amountMinor
        checkout.currency = request.currency
        checkout.description = request.description
        checkout.successURL = request.successURL
        checkout.cancelURL = request.cancelURL
        checkout.state = .open
        checkout.refundedMinor = 0
        try await checkout.create(on: db)
        return session(checkout.reference)
    }

    package func verifyWebhook(payload: [UInt8], headers: HTTPHeaders, now: Date) throws -> PaymentEvent {
        try StripeSignature.verify(payload: payload, header: headers.first(name: StripeSignature.headerName), secret: webhookSecret, now: now)
        return try StripeEventParser.parse(payload)
    }

    /// Idempotent like Stripe's: the same idempotency key returns the refund it made the first time.
    package func refund(_ request: RefundCall) async throws -> String {
        let db = try database()
        return try await db.transaction { tx in
            guard let checkout = try await SandboxCheckout.query(on: tx).filter(\.$paymentReference == request.paymentReference).first() else {
                throw Failure(.badRequest, "The sandbox has no such payment to refund.")
            }
            var made = (checkout.refundKeys ?? "").split(separator: "\n").map(String.init)
            if let earlier = made.first(where: { $0.hasPrefix(request.idempotencyKey + "=") }) {
                return String(earlier.dropFirst(request.idempotencyKey.count + 1))
            }
            guard checkout.refundedMinor + request.amountMinor <= checkout.amountMinor else {
                throw Failure(.badRequest, "The sandbox payment has already been refunded.")
            }
            checkout.refundedMinor += request.amountMinor
            let refundID = "re_sandbox_" + SecureToken.generate(prefix: "").prefix(20)
            made.append("\(request.idempotencyKey)=\(refundID)")
            checkout.refundKeys = made.joined(separator: "\n")
            try await checkout.save(on: tx)
            try await SandboxWebhooks.enqueue(type: "charge.refunded", object: [
                "id": "ch_sandbox_" + checkout.reference.dropFirst(11), "object": "charge", "payment_intent": request.paymentReference,
                "amount_refunded": checkout.refundedMinor, "currency": checkout.currency.lowercased(), "refunded": true,
            ], on: tx, at: Date())
            return refundID
        }
    }

    package func expireCheckout(_ reference: String) async throws {
        try await SandboxCheckout.query(on: try database()).filter(\.$reference == reference).filter(\.$state == .open)
            .set(\.$state, to: .expired).update()
    }

    private func session(_ reference: String) -> CheckoutSession {
        CheckoutSession(id: reference, url: SiteURL.sandboxCheckout(.value(reference)).absolute(on: baseURL))
    }
}

/// The test cards the sandbox knows, with Stripe's numbers and outcomes.
package enum SandboxCard {
    case succeeds, declined, insufficientFunds, unknown

    package init(number: String) {
        switch number.filter(\.isNumber) {
        case "4242424242424242": self = .succeeds
        case "4000000000000002": self = .declined
        case "4000000000009995": self = .insufficientFunds
        default: self = .unknown
        }
    }

    package var problem: String? {
        switch self {
        case .succeeds: nil
        case .declined: "Your card was declined. Try another card."
        case .insufficientFunds: "Your card has insufficient funds. Try another card."
        case .unknown: "This is the sandbox: use one of the test cards listed below."
        }
    }
}

/// The sandbox's webhook outbox: events are stored, then POSTed to our endpoint with a fresh
/// Stripe-Signature on every attempt, retried with exponential backoff until a 2xx comes back.
package enum SandboxWebhooks {
    package static let maxAttempts = 20

    package static func enqueue(type: String, object: [String: Any], on db: any Database, at now: Date) async throws {
        let event: [String: Any] = [
            "id": "evt_sandbox_" + SecureToken.generate(prefix: "").prefix(24), "object": "event", "type": type,
            "created": Int(now.timeIntervalSince1970), "livemode": false, "data": ["object": object],
        ]
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
        try await SandboxWebhook(payload: payload, at: now).create(on: db)
    }

    /// Delivers every due webhook once; returns how many were acknowledged.
    @discardableResult
    package static func deliverDue(db: any Database, transport: any WebhookTransport, url: String, secret: String, now: Date) async throws -> Int {
        let due = try await SandboxWebhook.query(on: db).filter(\.$deliveredAt == nil).filter(\.$nextAttemptAt <= now)
            .filter(\.$attempts < maxAttempts).sort(\.$nextAttemptAt).limit(100).all()
        var delivered = 0
        for webhook in due {
            let payload = Array(webhook.payload.utf8)
            let signature = StripeSignature.header(payload: payload, secret: secret, timestamp: Int(now.timeIntervalSince1970))
            let status = (try? await transport.post(url: url, body: payload, headers: [
                ("Content-Type", "application/json"), (StripeSignature.headerName, signature),
            ])) ?? 0
            webhook.attempts += 1
            webhook.lastStatus = status
            if (200..<300).contains(status) {
                webhook.deliveredAt = now
                delivered += 1
            } else {
                webhook.nextAttemptAt = now.addingTimeInterval(min(3600, 5 * pow(2, Double(webhook.attempts - 1))))
            }
            try await webhook.save(on: db)
        }
        return delivered
    }
}

/// How the sandbox reaches the webhook endpoint: HTTP in the running service; tests swap it.
package protocol WebhookTransport: Sendable {
    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int
}

package struct HTTPWebhookTransport: WebhookTransport {
    package let client: HTTPClient

    package init(client: HTTPClient) {
        self.client = client
    }

    package func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try? await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }
}
