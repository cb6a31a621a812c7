import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Money never lost or doubled: refunded orders deliver nothing, a payment for a superseded checkout
/// is fulfilled as what it sold or refunded, and refunds converge under races.
@Suite("Money hardening") struct MoneyHardeningTests {
    /// Basic's three styles: with the person-a photos, 14 headshots a style, each a different picture.
    static let basicStyles = ["corporate-grey", "executive-navy", "bright-white"]

    /// Starts checkout through the API, returning the sandbox session's reference.
    static func startCheckout(_ client: PhotoClient, _ order: String, package: String, presets: [String]) async throws -> String {
        var headers = client.auth
        headers.contentType = .json
        let body = try JSONSerialization.data(withJSONObject: ["package": package, "presets": presets, "consent": true])
        let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers, body: ByteBuffer(data: body))
        #expect(response.status == .created, "\(response.body.string.prefix(300))")
        return try Browser.extract(#""checkout_id":"([^"]+)""#, from: response.body.string)
    }

    /// A paid webhook for a sandbox session, as the provider would send once the card is charged.
    static func paid(_ app: Application, session reference: String) async throws -> TestingHTTPResponse {
        let checkout = try #require(try await SandboxCheckout.query(on: app.db).filter(\.$reference == reference).first())
        let payment = "pi_sandbox_" + UUID().uuidString.prefix(8)
        checkout.state = .paid
        checkout.paymentReference = payment
        try await checkout.save(on: app.db)
        let object: [String: Any] = [
            "id": reference, "object": "checkout.session", "payment_status": "paid", "amount_total": checkout.amountMinor,
            "currency": checkout.currency.lowercased(), "client_reference_id": checkout.orderID.uuidString, "payment_intent": payment,
        ]
        let event: [String: Any] = ["id": "evt_" + UUID().uuidString, "object": "event", "type": "checkout.session.completed",
                                    "created": 1_700_000_000, "data": ["object": object]]
        return try await PaymentFixtures.deliver(app, Array(try JSONSerialization.data(withJSONObject: event)))
    }

    // 2. A refunded order serves nothing: downloads, fresh links, previews, bundles, listings and share links.
    @Test func aRefundedOrderServesNoHeadshotByAnyPath() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, headshots) = try await DownloadLinkTests.completedOrder(app, clock)
            let id = orderID.uuidString.lowercased()
            let first = try #require(headshots.first)
            let full = try #require(first.links["full"])
            let share = try await client.browser.request(.POST, "/api/v1/orders/\(id)/headshots/\(first.id)/shares", json: ["days": 7], headers: client.auth)
            #expect(share.status == .created)
            let shareURL = try Browser.extract(#""url":"([^"]+)""#, from: share.body.string).replacingOccurrences(of: "\\/", with: "/")
            let sharePath = String(shareURL.dropFirst(app.config.baseURL.absoluteString.count))
            let bundle = try await client.browser.request(.POST, "/api/v1/orders/\(id)/bundles", json: ["selection": "all"], headers: client.auth)
            let bundlePath = try Browser.extract(#""url":"([^"]+)""#, from: bundle.body.string).replacingOccurrences(of: "\\/", with: "/")
            #expect(try await client.browser.request(.GET, full).status == .ok, "served before the refund")
            #expect(try await Browser(app).request(.GET, sharePath).status == .ok)

            // The refund's outcome: the entitlement revoked, the order refunded.
            for entitlement in try await Entitlement.query(on: app.db).filter(\.$order.$id == orderID).all() {
                try await Audit.transition(entitlement, to: .revoked, by: .system(), at: clock.now(), on: app.db)
            }
            let order = try #require(try await Order.find(orderID, on: app.db))
            try await Audit.transition(order, to: .refunded, by: .system(), at: clock.now(), on: app.db)

            #expect(try await client.browser.request(.GET, full).status == .gone)
            #expect(try await client.browser.request(.GET, full.replacingOccurrences(of: "/full?", with: "/square?")).status != .ok)
            #expect(try await Browser(app).request(.GET, sharePath).status == .gone, "existing share links answer 410")
            #expect(try await client.browser.request(.GET, bundlePath).status == .gone)
            #expect(try await client.api(.GET, "/orders/\(id)/headshots").status == .gone)
            #expect(try await client.browser.request(.POST, "/api/v1/orders/\(id)/bundles", json: ["selection": "all"], headers: client.auth).status == .gone)
            #expect(try await client.browser.request(.POST, "/api/v1/orders/\(id)/headshots/\(first.id)/shares", json: ["days": 1], headers: client.auth).status == .gone)
            #expect(try await client.browser.request(.GET, "/orders/\(id)/gallery/\(first.id)/preview").status == .gone, "no preview")
            // An expired link no longer hands out a fresh one.
            clock.advance(by: 3600)
            let expired = try await client.browser.request(.GET, full)
            #expect(expired.status == .gone && !expired.body.string.contains("fresh-link"))
        }
    }

    // 3. Checkout restarted: the first session is expired at the gateway, and its late payment buys
    //    what it sold (never the newer package), the newer session then expired in turn.
    @Test func aLatePaymentForASupersededCheckoutIsFulfilledAsWhatItSold() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            // Three and five styles: the 8 photos give every headshot of both packages as a different picture.
            let basic = try await Self.startCheckout(client, order, package: "basic", presets: Self.basicStyles)
            let professional = try await Self.startCheckout(client, order, package: "professional", presets: StylePreset.allCases.map(\.rawValue))
            #expect(basic != professional)
            #expect(try await SandboxCheckout.query(on: app.db).filter(\.$reference == basic).first()?.state == .expired)
            #expect(try await client.browser.request(.GET, "/sandbox/checkout/\(basic)").status == .gone, "the old session cannot be paid")

            // The provider had charged the first session before it expired: its webhook arrives late.
            let late = try await Self.paid(app, session: basic)
            #expect(late.status == .ok && late.body.string.contains("fulfilled"), "\(late.body.string)")
            let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            #expect(stored.status == .queued && stored.amountMinor == 2900 && stored.headshotCount == 40 && stored.presets == Self.basicStyles.joined(separator: ","))
            let job = try #require(try await GenerationJob.query(on: app.db).first())
            #expect(job.progressTotal == 40 && job.payload == Self.basicStyles.joined(separator: ","), "never upgraded to the newer package")
            #expect(try await SandboxCheckout.query(on: app.db).filter(\.$reference == professional).first()?.state == .expired)
        }
    }

    // 3. Both sessions were charged: the order keeps what the first payment bought; the second is refunded.
    @Test func aSecondPaymentForAnOrderAlreadyPaidIsRefundedAutomatically() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let basic = try await Self.startCheckout(client, order, package: "basic", presets: Self.basicStyles)
            let professional = try await Self.startCheckout(client, order, package: "professional", presets: StylePreset.allCases.map(\.rawValue))
            #expect(try await Self.paid(app, session: professional).body.string.contains("fulfilled"))
            let stray = try await Self.paid(app, session: basic)
            #expect(stray.status == .ok && stray.body.string.contains("stray-payment-refunded"), "\(stray.body.string)")
            let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            #expect(stored.status == .queued && stored.headshotCount == 100)
            let refund = try #require(try await RefundRequest.query(on: app.db).first())
            #expect(refund.kind == .strayPayment && refund.status == .refunded && refund.amountMinor == 2900)
            #expect(try await SandboxCheckout.query(on: app.db).filter(\.$reference == basic).first()?.refundedMinor == 2900)
            #expect(try await SandboxCheckout.query(on: app.db).filter(\.$reference == professional).first()?.refundedMinor == 0)
            #expect(try await Entitlement.query(on: app.db).filter(\.$status == .active).count() == 1, "the order keeps what it paid for")
        }
    }

    // 4. Ten refund requests at once open one refund.
    @Test func tenConcurrentRefundRequestsOpenOne() async throws {
        try await withTestApp { app, _ in
            let (customer, order) = try await RefundTests.paidOrder(app)
            let id = try order.requireID().uuidString, token = customer.token
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        let client = PhotoClient(browser: Browser(app), token: token)
                        return try await RefundTests.post(client, "/orders/\(id)/refund-requests", #"{"reason":"try \#(index)"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 9)
            #expect(try await RefundRequest.query(on: app.db).count() == 1)
            // Within the policy the one request refunded the order at once, and only once.
            #expect(try await SandboxCheckout.query(on: app.db).first()?.refundedMinor == order.amountMinor)
        }
    }

    // 4. A refund of an order a worker is rendering: the job is cancelled and the worker fenced out.
    @Test func aRefundDuringRenderingCancelsTheJobAndFencesTheWorkerOut() async throws {
        try await withTestApp { app, clock in
            let (customer, order) = try await RefundTests.paidOrder(app)
            try await RefundTests.downloaded(app, order)
            let queue = JobQueue(db: app.db)
            let claim = try #require(try await queue.claim(worker: "w1", now: clock.now()))
            #expect(try await Order.find(order.id, on: app.db)?.status == .processing)
            let requested = try await RefundTests.post(customer, "/orders/\(try order.requireID().uuidString)/refund-requests", #"{"reason":"too slow"}"#)
            #expect(requested.status == .created, "a processing order can be refunded")
            let refundID = try Browser.extract(#""id":"([0-9A-F-]+)""#, from: requested.body.string)
            let approved = try await RefundTests.post(try await RefundTests.support(app), "/refund-requests/\(refundID)/approve")
            #expect(approved.status == .ok && approved.body.string.contains(#""status":"refunded""#))
            #expect(try await GenerationJob.query(on: app.db).first()?.status == .cancelled)
            #expect(try await Order.find(order.id, on: app.db)?.status == .refunded)
            #expect(try await queue.heartbeat(claim, now: clock.now()) == false, "the worker has lost its job")
            #expect(try await Entitlement.query(on: app.db).first()?.status == .revoked)
        }
    }
}
