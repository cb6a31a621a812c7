import AsyncHTTPClient
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// A stand-in for api.stripe.com on loopback that speaks Stripe's request format (form-encoded
/// bodies with bracketed keys, Bearer secret key, Idempotency-Key) and answers like Stripe.
final class FakeStripe: Sendable {
    static let secretKey = "sk_test_fake_51Headshot"
    static let webhookSecret = "whsec_fake_headshot"

    let app: Application
    let port: Int
    /// Every request body Stripe received, as decoded form fields.
    let requests = NIOLockedValueBox<[[String: String]]>([])
    private let sessions = NIOLockedValueBox<[String: String]>([:])

    var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init() async throws {
        app = try await Application.make(.testing)
        port = try freeLoopbackPort()
        let requests = self.requests, sessions = self.sessions
        @Sendable func authorised(_ req: Request) -> Bool { req.headers.first(name: .authorization) == "Bearer \(Self.secretKey)" }
        @Sendable func error(_ status: HTTPResponseStatus, _ message: String) -> Response {
            Response(status: status, headers: ["Content-Type": "application/json"],
                     body: .init(string: #"{"error":{"type":"invalid_request_error","message":"\#(message)"}}"#))
        }
        app.post("v1", "checkout", "sessions") { req async throws -> Response in
            guard authorised(req) else { return error(.unauthorized, "Invalid API Key provided") }
            guard let key = req.headers.first(name: "Idempotency-Key") else { return error(.badRequest, "Idempotency-Key required by this test") }
            let fields = FakeStripe.form(req)
            requests.withLockedValue { $0.append(fields) }
            let id = sessions.withLockedValue { known in
                if let existing = known[key] { return existing }
                let fresh = "cs_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24)
                known[key] = fresh
                return fresh
            }
            let body: [String: Any] = ["id": id, "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/\(id)",
                                       "amount_total": Int(fields["line_items[0][price_data][unit_amount]"] ?? "") ?? 0,
                                       "currency": fields["line_items[0][price_data][currency]"] ?? "", "payment_status": "unpaid"]
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: body)))
        }
        app.post("v1", "checkout", "sessions", ":id", "expire") { req async throws -> Response in
            guard authorised(req) else { return error(.unauthorized, "Invalid API Key provided") }
            let id = req.parameters.get("id") ?? ""
            requests.withLockedValue { $0.append(["expired": id]) }
            return Response(status: .ok, headers: ["Content-Type": "application/json"],
                            body: .init(string: #"{"id":"\#(id)","object":"checkout.session","status":"expired"}"#))
        }
        app.post("v1", "refunds") { req async throws -> Response in
            guard authorised(req) else { return error(.unauthorized, "Invalid API Key provided") }
            let fields = FakeStripe.form(req)
            requests.withLockedValue { $0.append(fields) }
            return Response(status: .ok, headers: ["Content-Type": "application/json"],
                            body: .init(string: #"{"id":"re_test_1","object":"refund","status":"succeeded","amount":\#(fields["amount"] ?? "0")}"#))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
    }

    /// Stripe's bodies keep bracketed keys literally ("line_items[0][quantity]"), so they are read as flat pairs.
    static func form(_ req: Request) -> [String: String] {
        let text = req.body.string ?? ""
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    var settings: StripeSettings { StripeSettings(secretKey: Self.secretKey, webhookSecret: Self.webhookSecret, apiBase: base) }

    static func withFake(_ body: (FakeStripe) async throws -> Void) async throws {
        let fake = try await FakeStripe()
        do { try await body(fake) } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }
}

@Suite("Stripe adapter") struct StripeGatewayTests {
    static func request(_ order: UUID, key: String = "key-1") -> CheckoutRequest {
        CheckoutRequest(orderID: order, amountMinor: 5900, currency: "USD", description: "Headshot Studio Professional: 100 headshots",
                        customerEmail: "ada@example.com", successURL: "https://h.example/orders/x/payment",
                        cancelURL: "https://h.example/orders/x/checkout", idempotencyKey: key)
    }

    @Test func checkoutSessionsUseStripesFormFormatAndAreIdempotent() async throws {
        try await FakeStripe.withFake { fake in
            let gateway = StripeGateway(settings: fake.settings, client: HTTPClient.shared)
            let order = UUID()
            let first = try await gateway.createCheckout(Self.request(order))
            let retried = try await gateway.createCheckout(Self.request(order))
            #expect(first == retried, "the same Idempotency-Key returns the same session")
            #expect(first.id.hasPrefix("cs_test_") && first.url.contains(first.id))
            let fields = try #require(fake.requests.withLockedValue { $0.first })
            #expect(fields["mode"] == "payment" && fields["client_reference_id"] == order.uuidString)
            #expect(fields["line_items[0][price_data][unit_amount]"] == "5900" && fields["line_items[0][price_data][currency]"] == "usd")
            #expect(fields["line_items[0][price_data][product_data][name]"] == "Headshot Studio Professional: 100 headshots")

            let refund = try await gateway.refund(RefundCall(paymentReference: "pi_123", amountMinor: 5900, idempotencyKey: "refund-1"))
            #expect(refund == "re_test_1")

            var wrong = fake.settings
            wrong.secretKey = "sk_test_wrong"
            await #expect(throws: PaymentGatewayError.self) {
                _ = try await StripeGateway(settings: wrong, client: HTTPClient.shared).createCheckout(Self.request(order, key: "key-2"))
            }
        }
    }

    @Test func webhookSignaturesAreCheckedInConstantTimeWithAFiveMinuteTolerance() throws {
        let gateway = StripeGateway(settings: StripeSettings(secretKey: "sk", webhookSecret: FakeStripe.webhookSecret), client: HTTPClient.shared)
        let payload = Array(#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"id":"cs_1","payment_status":"paid","amount_total":5900,"currency":"usd","client_reference_id":"\#(UUID().uuidString)"}}}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func headers(_ value: String?) -> HTTPHeaders { value.map { [StripeSignature.headerName: $0] } ?? [:] }
        let good = StripeSignature.header(payload: payload, secret: FakeStripe.webhookSecret, timestamp: Int(now.timeIntervalSince1970))

        let event = try gateway.verifyWebhook(payload: payload, headers: headers(good), now: now)
        #expect(event.kind == .checkoutCompleted(paid: true) && event.amountMinor == 5900 && event.currency == "USD")
        // During secret rotation Stripe sends several v1 signatures; one valid one is enough.
        let rotated = "t=\(Int(now.timeIntervalSince1970)),v1=\(String(repeating: "0", count: 64)),\(good.split(separator: ",")[1])"
        #expect(throws: Never.self) { try gateway.verifyWebhook(payload: payload, headers: headers(rotated), now: now) }

        #expect(throws: WebhookError.missingSignature) { try gateway.verifyWebhook(payload: payload, headers: headers(nil), now: now) }
        let forged = StripeSignature.header(payload: payload, secret: "whsec_other", timestamp: Int(now.timeIntervalSince1970))
        #expect(throws: WebhookError.invalidSignature) { try gateway.verifyWebhook(payload: payload, headers: headers(forged), now: now) }
        #expect(throws: WebhookError.invalidSignature) {
            try gateway.verifyWebhook(payload: payload + Array(" ".utf8), headers: headers(good), now: now)
        }
        #expect(throws: WebhookError.staleTimestamp) { try gateway.verifyWebhook(payload: payload, headers: headers(good), now: now.addingTimeInterval(301)) }
        #expect(throws: Never.self) { try gateway.verifyWebhook(payload: payload, headers: headers(good), now: now.addingTimeInterval(299)) }
    }

    @Test func anOrderPaidThroughStripeIsQueuedByItsWebhook() async throws {
        try await FakeStripe.withFake { fake in
            try await withTestApp(customize: { $0.payments = .stripe(fake.settings) }) { app, clock in
                let (client, order) = try await CheckoutFlowTests.readyOrder(app)
                var headers = client.auth
                headers.contentType = .json
                let started = try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers,
                    body: ByteBuffer(string: #"{"package":"professional","presets":["corporate-grey","executive-navy","bright-white","modern-office","monochrome-classic"],"consent":true}"#))
                #expect(started.status == .created && started.body.string.contains("checkout.stripe.com"))
                let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
                #expect(stored.paymentGateway == "stripe" && stored.checkoutReference?.hasPrefix("cs_test_") == true)

                let payload = try PaymentFixtures.event(order: stored)
                let signature = StripeSignature.header(payload: payload, secret: FakeStripe.webhookSecret, timestamp: Int(clock.now().timeIntervalSince1970))
                let delivered = try await app.testing().performTest(request: .init(method: .POST, url: .init(path: "/webhooks/stripe"),
                    headers: ["Content-Type": "application/json", StripeSignature.headerName: signature], body: ByteBuffer(bytes: payload)))
                #expect(delivered.status == .ok)
                #expect(try await Order.find(stored.id, on: app.db)?.status == .queued)
                #expect(try await Entitlement.query(on: app.db).count() == 1)
                let sandboxPath = try await app.testing().performTest(request: .init(method: .POST, url: .init(path: "/webhooks/sandbox"),
                    headers: [StripeSignature.headerName: signature], body: ByteBuffer(bytes: payload)))
                #expect(sandboxPath.status == .notFound, "only the configured gateway has a webhook endpoint")
                #expect(try await client.browser.request(.GET, "/sandbox/checkout/anything").status == .notFound)
            }
        }
    }
}
