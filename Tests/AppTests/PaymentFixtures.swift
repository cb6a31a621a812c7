import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Orders waiting for payment and webhooks signed exactly as the sandbox (and Stripe) sign them.
enum PaymentFixtures {
    /// Pays a checked-out order in the sandbox (its checkout holds the payment) and delivers the
    /// signed webhook: the order is queued with its job. Returns it as stored then.
    static func paidInSandbox(_ app: Application, _ order: Order) async throws -> Order {
        let checkout = SandboxCheckout()
        checkout.reference = order.checkoutReference!
        checkout.idempotencyKey = UUID().uuidString
        checkout.orderID = try order.requireID()
        checkout.amountMinor = order.amountMinor!
        checkout.currency = order.currency!
        checkout.description = "test"
        checkout.successURL = "http://localhost/ok"
        checkout.cancelURL = "http://localhost/cancel"
        checkout.state = .paid
        checkout.paymentReference = "pi_" + (order.id?.uuidString.prefix(8) ?? "")
        checkout.refundedMinor = 0
        try await checkout.create(on: app.db)
        #expect(try await deliver(app, try event(order: order)).status == .ok)
        return try #require(try await Order.find(order.id, on: app.db))
    }

    static func event(
        id: String = "evt_" + UUID().uuidString.lowercased(), type: String = "checkout.session.completed", order: Order,
        amount: Int? = nil, currency: String? = nil, paymentStatus: String = "paid"
    ) throws -> [UInt8] {
        let object: [String: Any] = [
            "id": order.checkoutReference ?? "", "object": "checkout.session", "payment_status": paymentStatus,
            "amount_total": amount ?? order.amountMinor ?? 0, "currency": (currency ?? order.currency ?? "").lowercased(),
            "client_reference_id": try order.requireID().uuidString, "payment_intent": "pi_" + (order.id?.uuidString.prefix(8) ?? ""),
        ]
        let event: [String: Any] = ["id": id, "object": "event", "type": type, "created": 1_700_000_000, "data": ["object": object]]
        return Array(try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]))
    }

    /// Posts a webhook to our endpoint, signed now (or at `signedAt`) with `secret` (default: the sandbox's).
    @discardableResult
    static func deliver(_ app: Application, _ payload: [UInt8], signedAt: Date? = nil, secret: String? = nil) async throws -> TestingHTTPResponse {
        let timestamp = Int((signedAt ?? app.clock.now()).timeIntervalSince1970)
        let header = StripeSignature.header(payload: payload, secret: secret ?? app.sandboxWebhookSecret, timestamp: timestamp)
        return try await app.testing().performTest(request: .init(
            method: .POST, url: .init(path: "/webhooks/sandbox"),
            headers: ["Content-Type": "application/json", StripeSignature.headerName: header], body: ByteBuffer(bytes: payload)
        ))
    }
}

/// Delivers the sandbox's webhooks into the in-memory app, as the HTTP transport would over the network.
struct InMemoryWebhookTransport: WebhookTransport {
    let app: Application

    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        let path = URLComponents(string: url)?.path ?? url
        let response = try await app.testing().performTest(request: .init(
            method: .POST, url: .init(path: path), headers: HTTPHeaders(headers), body: ByteBuffer(bytes: body)
        ))
        return Int(response.status.code)
    }
}
