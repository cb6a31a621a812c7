import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Refunds through the API and the sandbox gateway: money back once, entitlement revoked, queued work cancelled.
@Suite("Refunds") struct RefundTests {
    /// A customer with an order paid through the sandbox (its checkout holds the payment) and queued.
    static func paidOrder(_ app: Application) async throws -> (PhotoClient, Order) {
        let (client, user) = try await PhotoClient.make(app)
        let order = try await Fixtures.awaitingOrder(app, user: user)
        return (client, try await PaymentFixtures.paidInSandbox(app, order))
    }

    /// Takes the order outside the automatic refund policy (one of its files was downloaded), so a
    /// request goes to support.
    static func downloaded(_ app: Application, _ order: Order) async throws {
        try await DownloadEvent(userID: order.$user.id, orderID: try order.requireID(), assetID: nil, kind: "bundle", variant: "all",
                                bytes: 1_000, at: app.clock.now()).create(on: app.db)
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
            try await Self.downloaded(app, order)
            let id = try order.requireID().uuidString
            let requested = try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"I changed my mind"}"#)
            #expect(requested.status == .created && requested.body.string.contains(#""status":"requested""#), "outside the policy: support decides")
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            #expect(try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"again"}"#).status == .conflict)

            // A customer cannot approve their own refund: the route does not exist for them.
            #expect(try await Self.post(customer, "/refund-requests/\(refundID)/approve").status == .notFound)

            let staff = try await Self.support(app)
            let approved = try await Self.post(staff, "/refund-requests/\(refundID)/approve")
            #expect(approved.status == .ok && approved.body.string.contains(#""status":"refunded""#))
            #expect(try await Self.post(staff, "/refund-requests/\(refundID)/approve").status == .conflict, "approving twice does nothing")
            let owner = try #require(try await User.find(order.$user.id, on: app.db))
            #expect(try await Fixtures.mail(app, to: owner.email).filter { $0.subject == "Your refund of $59" }.count == 1, "the customer is told once")

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
            try await Self.downloaded(app, order)
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
            try await Self.downloaded(app, order)
            let requested = try await Self.post(customer, "/orders/\(try order.requireID().uuidString)/refund-requests", #"{"reason":"hm"}"#)
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            let rejected = try await Self.post(try await Self.support(app), "/refund-requests/\(refundID)/reject", #"{"reason":"delivered"}"#)
            #expect(rejected.status == .ok && rejected.body.string.contains(#""status":"rejected""#))
            let owner = try #require(try await User.find(order.$user.id, on: app.db))
            let told = try #require(try await Fixtures.mail(app, to: owner.email).last)
            #expect(told.subject == "Your refund request" && told.textBody.contains("Their reason: delivered"))
            #expect(try await Order.find(order.id, on: app.db)?.status == .queued)
            #expect(try await Entitlement.query(on: app.db).first()?.status == .active)
        }
    }

    @Test func anAutomaticRefundWithinThePolicyPaysBackOnceRevokesTheEntitlementAndCancelsTheQueuedJob() async throws {
        try await withTestApp { app, _ in
            let (customer, order) = try await Self.paidOrder(app)
            let id = try order.requireID().uuidString
            let refunded = try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"changed my mind"}"#)
            #expect(refunded.status == .created && refunded.body.string.contains(#""status":"refunded""#), "\(refunded.body.string)")
            #expect(try await Order.find(order.id, on: app.db)?.status == .refunded)
            #expect(try await Entitlement.query(on: app.db).first()?.status == .revoked)
            #expect(try await GenerationJob.query(on: app.db).first()?.status == .cancelled)
            #expect(try await SandboxCheckout.query(on: app.db).first()?.refundedMinor == order.amountMinor, "paid back exactly once")
            let owner = try #require(try await User.find(order.$user.id, on: app.db))
            let mail = try #require(try await Fixtures.mail(app, to: owner.email).last)
            #expect(mail.subject == "Your refund of $59" && mail.textBody.contains("/orders/\(id.lowercased())"))
            // Asking again finds the order refunded: nothing is paid twice.
            #expect(try await Self.post(customer, "/orders/\(id)/refund-requests", #"{"reason":"again"}"#).status == .conflict)
            #expect(try await RefundRequest.query(on: app.db).count() == 1)
            #expect(try await SandboxCheckout.query(on: app.db).first()?.refundedMinor == order.amountMinor)
        }
    }

    @Test func aRequestOutsideThePolicyGoesToSupportAndAFailedOrderIsRefundedWhenever() async throws {
        try await withTestApp { app, clock in
            // More than 7 days after payment: support decides.
            let (late, lateOrder) = try await Self.paidOrder(app)
            clock.advance(by: 8 * 86_400)
            let requested = try await Self.post(late, "/orders/\(try lateOrder.requireID().uuidString)/refund-requests", #"{"reason":"late"}"#)
            #expect(requested.status == .created && requested.body.string.contains(#""status":"requested""#))
            #expect(try await Order.find(lateOrder.id, on: app.db)?.status == .queued)
            #expect(try await Entitlement.query(on: app.db).filter(\.$order.$id == lateOrder.requireID()).first()?.status == .active)
            let email = try #require(try await User.find(lateOrder.$user.id, on: app.db)).email
            let told = try #require(try await Fixtures.mail(app, to: email).last)
            #expect(told.subject == "We've received your refund request" && told.textBody.contains("more than 7 days"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "refund.sent_to_support").count() == 1)

            // A failed order is refunded at once, however long ago it was paid.
            let (failed, failedOrder) = try await Self.paidOrder(app)
            clock.advance(by: 8 * 86_400)
            try await Order.query(on: app.db).filter(\.$id == failedOrder.requireID()).set(\.$status, to: .failed).update()
            let automatic = try await Self.post(failed, "/orders/\(try failedOrder.requireID().uuidString)/refund-requests", #"{"reason":"it failed"}"#)
            #expect(automatic.body.string.contains(#""status":"refunded""#), "\(automatic.body.string)")

            // The policy itself.
            let now = clock.now()
            #expect(RefundPolicy.decide(status: .completed, paidAt: now.addingTimeInterval(-6 * 86_400), downloaded: false, now: now) == .automatic)
            #expect(RefundPolicy.decide(status: .completed, paidAt: now.addingTimeInterval(-6 * 86_400), downloaded: true, now: now) != .automatic)
            #expect(RefundPolicy.decide(status: .failed, paidAt: now.addingTimeInterval(-60 * 86_400), downloaded: true, now: now) == .automatic)
        }
    }

    @Test func theOrderPageOffersTheRefundItsPolicyAllowsAndShowsTheOutcome() async throws {
        try await withTestApp { app, _ in
            let (customer, order) = try await Self.paidOrder(app)
            let id = try order.requireID().uuidString.lowercased()
            let page = try await customer.browser.request(.GET, "/orders/\(id)").body.string
            #expect(page.contains("refunded in full at once if you ask") && page.contains(#"action="/orders/\#(id)/refund""#))
            let asked = try await customer.browser.submit("/orders/\(id)/refund", ["reason": "not needed any more"])
            #expect(asked.status == .seeOther && asked.headers.first(name: .location) == "/orders/\(id)?notice=refunded")
            let after = try await customer.browser.request(.GET, "/orders/\(id)?notice=refunded").body.string
            #expect(after.contains("Your order was refunded") && after.contains("Refunded: $59 went back") && !after.contains("request-refund"))
            #expect(try await customer.browser.request(.GET, "/").body.string.contains("Full refund at once if an order fails"))
        }
    }
}
