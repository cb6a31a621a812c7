import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
@testable import App

/// Refunds through the API and the sandbox gateway: money back once, entitlement revoked, queued work cancelled.
@Suite("Refunds") struct RefundTests {
    /// A customer with an order paid through the sandbox (its checkout holds the payment) and queued.
    static func paidOrder(_ app: Application) async throws -> (PhotoClient, Order) {
        let (client, user) = try await PhotoClient.make(app)
        let order = try await PaymentFixtures.awaitingOrder(app, user: user)
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
        #expect(try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order)).status == .ok)
        return (client, try #require(try await Order.find(order.id, on: app.db)))
    }

    static func support(_ app: Application) async throws -> PhotoClient {
        let staff = try await Fixtures.user(app, role: .support)
        let browser = Browser(app)
        let login = try await browser.request(.POST, "/api/v1/auth/token", json: ["email": staff.email, "password": Fixtures.password])
        return PhotoClient(browser: browser, token: try Browser.extract(#""token":"([^"]+)""#, from: login.body.string))
    }

    static func post(_ client: PhotoClient, _ path: String, _ json: String = "{}") async throws -> TestingHTTPResponse {
        var headers = client.auth
        headers.contentType = .json
        return try await client.browser.request(.POST, "/api/v1" + path, headers: headers, body: ByteBuffer(string: json))
    }

    @Test func anApprovedRefundPaysBackOnceRevokesTheEntitlementAndCancelsTheJob() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (customer, order) = try await Self.paidOrder(app)
            #expect(order.status == .queued)
            let id = try order.requireID().uuidString
            let requested = try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"I changed my mind"}"#)
            #expect(requested.status == .created)
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            #expect(try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"again"}"#).status == .conflict)

            // A customer cannot approve their own refund: the route does not exist for them.
            #expect(try await Self.post(customer, "/refund-requests/\(refundID)/approve").status == .notFound)

            let staff = try await Self.support(app)
            let approved = try await Self.post(staff, "/refund-requests/\(refundID)/approve")
            #expect(approved.status == .ok && approved.body.string.contains(#""status":"refunded""#))
            #expect(try await Self.post(staff, "/refund-requests/\(refundID)/approve").status == .conflict, "approving twice does nothing")

            #expect(try await Order.find(order.id, on: app.db)?.status == .refunded)
            #expect(try await Entitlement.query(on: app.db).first()?.status == .revoked)
            #expect(try await GenerationJob.query(on: app.db).first()?.status == .cancelled)
            let checkout = try #require(try await SandboxCheckout.query(on: app.db).first())
            #expect(checkout.refundedMinor == order.amountMinor, "the money went back exactly once")
            // The sandbox reports the refund like Stripe does, with a charge.refunded webhook.
            #expect(try await app.deliverSandboxWebhooks() == 1)
            #expect(try await PaymentEventRecord.query(on: app.db).filter(\.$type == "charge.refunded").count() == 1)
        }
    }

    /// The gateway is down when support approves: the refund stays approved with what it paid for
    /// already taken away (entitlement revoked, job cancelled), and maintenance finishes it once the
    /// gateway answers again: money back once, order refunded.
    @Test func aGatewayFailureLeavesTheRefundApprovedAndMaintenanceFinishesIt() async throws {
        try await withTestApp { app, _ in
            let (customer, order) = try await Self.paidOrder(app)
            let checkout = try #require(try await SandboxCheckout.query(on: app.db).first())
            let payment = try #require(checkout.paymentReference)
            checkout.paymentReference = "pi_unknown_to_the_provider"
            try await checkout.save(on: app.db)
            let requested = try await Self.post(customer, "/orders/\(try order.requireID().uuidString)/refund-requests", #"{"reason":"broken"}"#)
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            let staff = try await Self.support(app)
            #expect(try await Self.post(staff, "/refund-requests/\(refundID)/approve").status != .ok)
            #expect(try await RefundRequest.find(UUID(uuidString: refundID), on: app.db)?.status == .approved)
            #expect(try await Order.find(order.id, on: app.db)?.status == .queued, "not refunded until the money is back")
            #expect(try await Entitlement.query(on: app.db).first()?.status == .revoked, "what it paid for is taken away at once")
            #expect(try await GenerationJob.query(on: app.db).first()?.status == .cancelled)

            checkout.paymentReference = payment
            try await checkout.save(on: app.db)
            try await Refunds(db: app.db, gateway: app.testServices.payments, actor: .system(), now: app.clock.now()).finishApproved(logger: app.logger)
            try await Refunds(db: app.db, gateway: app.testServices.payments, actor: .system(), now: app.clock.now()).finishApproved(logger: app.logger)
            #expect(try await RefundRequest.find(UUID(uuidString: refundID), on: app.db)?.status == .refunded)
            #expect(try await Order.find(order.id, on: app.db)?.status == .refunded)
            #expect(try await SandboxCheckout.query(on: app.db).first()?.refundedMinor == order.amountMinor, "paid back exactly once")
        }
    }

    @Test func aRejectedRefundChangesNothingElse() async throws {
        try await withTestApp { app, _ in
            let (customer, order) = try await Self.paidOrder(app)
            let requested = try await Self.post(customer, "/orders/\(try order.requireID().uuidString)/refund-requests", #"{"reason":"hm"}"#)
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            let rejected = try await Self.post(try await Self.support(app), "/refund-requests/\(refundID)/reject", #"{"reason":"delivered"}"#)
            #expect(rejected.status == .ok && rejected.body.string.contains(#""status":"rejected""#))
            #expect(try await Order.find(order.id, on: app.db)?.status == .queued)
            #expect(try await Entitlement.query(on: app.db).first()?.status == .active)
        }
    }
}
