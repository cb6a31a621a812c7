import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOCore
import SiteRoutes

/// Stripe through its HTTP API (no SDK resolves here, and little is needed): Checkout Sessions and
/// Refunds created with form-encoded bodies and an Idempotency-Key, webhooks verified with the
/// `Stripe-Signature` scheme and a 300 s tolerance.
package struct StripeGateway: PaymentGateway {
    package let name = "stripe"
    package let settings: StripeSettings
    package let client: HTTPClient

    package init(settings: StripeSettings, client: HTTPClient) {
        self.settings = settings
        self.client = client
    }

    package func createCheckout(_ request: CheckoutRequest) async throws -> CheckoutSession {
        let fields: [(String, String)] = [
            ("mode", "payment"),
            ("success_url", request.successURL),
            ("cancel_url", request.cancelURL),
            ("client_reference_id", request.orderID.uuidString),
            ("customer_email", request.customerEmail),
            ("line_items[0][quantity]", "1"),
            ("line_items[0][price_data][currency]", request.currency.lowercased()),
            ("line_items[0][price_data][unit_amount]", String(request.amountMinor)),
            ("line_items[0][price_data][product_data][name]", request.description),
            ("metadata[order_id]", request.orderID.uuidString),
            ("payment_intent_data[metadata][order_id]", request.orderID.uuidString),
        ]
        let json = try await post("/v1/checkout/sessions", fields, idempotencyKey: request.idempotencyKey)
        guard let id = json["id"] as? String, let url = json["url"] as? String else {
            throw PaymentGatewayError.unexpectedResponse("checkout session without id or url")
        }
        return CheckoutSession(id: id, url: url)
    }

    package func verifyWebhook(payload: [UInt8], headers: HTTPHeaders, now: Date) throws -> PaymentEvent {
        try StripeSignature.verify(payload: payload, header: headers.first(name: StripeSignature.headerName),
                                   secret: settings.webhookSecret, now: now)
        return try StripeEventParser.parse(payload)
    }

    package func refund(_ request: RefundCall) async throws -> String {
        let json = try await post("/v1/refunds", [("payment_intent", request.paymentReference), ("amount", String(request.amountMinor))],
                                  idempotencyKey: request.idempotencyKey)
        guard let id = json["id"] as? String else { throw PaymentGatewayError.unexpectedResponse("refund without id") }
        return id
    }

    /// `POST /v1/checkout/sessions/{id}/expire`; Stripe answers 400 for a session that is no longer
    /// open (paid or already expired), which is what we want anyway.
    package func expireCheckout(_ reference: String) async throws {
        guard reference.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return }
        do {
            _ = try await post("/v1/checkout/sessions/\(reference)/expire", [], idempotencyKey: "expire-\(reference)")
        } catch PaymentGatewayError.rejected {
            return
        }
    }

    private func post(_ path: String, _ fields: [(String, String)], idempotencyKey: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: settings.apiBase.absoluteString.trimmingSuffix("/") + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(settings.secretKey)")
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.headers.add(name: "Stripe-Version", value: StripeSettings.apiVersion)
        request.body = .bytes(ByteBuffer(string: Self.formEncode(fields)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            throw PaymentGatewayError.unreachable("\(error)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status.code) else {
            let message = ((json["error"] as? [String: Any])?["message"] as? String) ?? "HTTP \(response.status.code)"
            throw PaymentGatewayError.rejected(message)
        }
        return json
    }

    /// application/x-www-form-urlencoded with Stripe's bracketed keys, every reserved byte escaped.
    package static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

package struct StripeSettings: Sendable, Equatable {
    /// The API version our requests and parsing are written against.
    package static let apiVersion = "2024-06-20"

    package var secretKey: String
    package var webhookSecret: String
    package var apiBase: URL

    package init(secretKey: String, webhookSecret: String, apiBase: URL = URL(string: "https://api.stripe.com")!) {
        self.secretKey = secretKey
        self.webhookSecret = webhookSecret
        self.apiBase = apiBase
    }
}

/// The provider could not be reached or refused a call; shown to people as "payment unavailable".
package enum PaymentGatewayError: DomainError {
    case unreachable(String)
    case rejected(String)
    case unexpectedResponse(String)

    package var kind: FailureKind { .upstream }
    package var code: String { "payment_provider_error" }
    package var reason: String { "Our payment provider could not start the payment just now. Nothing was charged; please try again in a minute." }
}
