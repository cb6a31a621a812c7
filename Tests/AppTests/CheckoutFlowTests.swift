import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// From a ready set to a queued order through the sandbox's hosted checkout, with the consent
/// recorded first and every price read on the server.
@Suite("Checkout with the sandbox gateway") struct CheckoutFlowTests {
    /// A signed-in client whose order has the 8 person-a photos (a ready set).
    static func readyOrder(_ app: Application) async throws -> (PhotoClient, String) {
        let (client, _) = try await PhotoClient.make(app)
        let order = try await client.createOrder()
        for fixture in PhotoClient.personA { try await client.upload(fixture: fixture, to: order) }
        #expect(try await client.readiness(order)["ready"] as? Bool == true)
        return (client, order)
    }

    @Test func professionalWithFivePresetsPaidWith4242IsQueuedAndA0002DeclineLeavesItUnpaid() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (client, order) = try await Self.readyOrder(app)
            let form = try await client.browser.request(.GET, "/orders/\(order)/checkout")
            #expect(form.status == .ok && form.body.string.contains("biometric") && form.body.string.contains("7 days"))
            #expect(form.body.string.contains(#"id="refund-summary""#) && form.body.string.contains("Full refund at once if an order fails"), "the refund policy before payment")
            // The plan says which photos give smaller headshots (img5, img10 and img11 warned at upload).
            #expect(form.body.string.contains("Headshots from 3 of your photos will be smaller than our portrait size (1080 × 1350)"))

            // Without consent nothing happens.
            let noConsent = try await client.browser.submit("/orders/\(order)/checkout", ["package": "professional", "presets[]": "corporate-grey"])
            #expect(noConsent.status == .unprocessableEntity && noConsent.body.string.contains("tick the box"))
            #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .draft)

            // The form carries every preset, plus fields a tamperer might add: they are ignored.
            let csrf = try await client.browser.csrfToken()
            let body = (["package=professional", "consent=yes", "amount_minor=1", "price_minor=1", "headshot_count=9999", "currency=EUR"]
                + StylePreset.allCases.map { "presets%5B%5D=\($0.rawValue)" } + ["_csrf=\(csrf)"]).joined(separator: "&")
            let started = try await client.browser.request(.POST, "/orders/\(order)/checkout",
                headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            #expect(started.status == .seeOther)
            let location = try #require(started.headers.first(name: .location))
            #expect(location.hasPrefix("/sandbox/checkout/cs_sandbox_"), "a redirect within the site keeps the address the browser uses: \(location)")
            let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            #expect(stored.status == .awaitingPayment && stored.amountMinor == 5900 && stored.currency == "USD" && stored.headshotCount == 100)
            #expect(stored.presets?.split(separator: ",").count == 5 && stored.consentVersion == ConsentPolicy.version && stored.consentedAt != nil)

            let path = try #require(URLComponents(string: location)?.path)
            // Left unpaid, the order offers "Pay now" on its page and on the dashboard.
            #expect(try await client.browser.request(.GET, "/orders/\(order)").body.string.contains("id=\"pay-now\""))
            #expect(try await client.browser.request(.GET, "/dashboard").body.string.contains("Pay now"))
            let page = try await client.browser.request(.GET, path)
            #expect(page.status == .ok && page.body.string.contains("$59") && page.body.string.contains("4242 4242 4242 4242"))

            let declined = try await client.browser.submit(path, ["card_number": "4000 0000 0000 0002"])
            #expect(declined.status == .paymentRequired && declined.body.string.contains("Your card was declined"))
            let broke = try await client.browser.submit(path, ["card_number": "4000000000009995"])
            #expect(broke.body.string.contains("insufficient funds"))
            #expect(try await SandboxWebhook.query(on: app.db).count() == 0)
            #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .awaitingPayment)

            let paid = try await client.browser.submit(path, ["card_number": "4242 4242 4242 4242"])
            #expect(paid.status == .seeOther && paid.headers.first(name: .location)?.hasSuffix("/orders/\(order)/payment") == true)
            // The return page grants nothing by itself: until the webhook lands, it is still waiting.
            let waiting = try await client.browser.request(.GET, "/orders/\(order)/payment")
            #expect(waiting.body.string.contains("Confirming your payment") && waiting.headers.first(name: "Refresh") == "3")
            #expect(try await Entitlement.query(on: app.db).count() == 0)

            #expect(try await app.deliverSandboxWebhooks() == 1)
            // Confirmed, the return page hands over to the order page, which follows the work live.
            let done = try await client.browser.request(.GET, "/orders/\(order)/payment")
            #expect(done.status == .seeOther && done.headers.first(name: .location) == "/orders/\(order)?notice=paid")
            let orderPage = try await client.browser.request(.GET, "/orders/\(order)?notice=paid").body.string
            #expect(orderPage.contains("Payment received") && orderPage.contains("In the queue") && orderPage.contains("order-live"))
            #expect(!orderPage.contains("pay-now") && orderPage.contains("receipt-link"))
            // A receipt by email, and as a page fit to print: package, styles, amount, date, reference.
            let paidOrder = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            let owner = try #require(try await User.find(paidOrder.$user.id, on: app.db))
            let mail = try #require(try await Fixtures.mail(app, to: owner.email).first { $0.subject.hasPrefix("Your receipt") })
            #expect(mail.subject.contains("$59") && mail.textBody.contains("Professional: 100 headshots") && mail.textBody.contains("/orders/\(order)/receipt"))
            #expect(StylePreset.allCases.allSatisfy { mail.textBody.contains($0.name) }, "every chosen style named")
            let receipt = try await client.browser.request(.GET, "/orders/\(order)/receipt")
            #expect(receipt.status == .ok && receipt.body.string.contains("$59") && receipt.body.string.contains("window.print()"))
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, "/orders/\(order)/receipt").status == .notFound)
            let entitlement = try #require(try await Entitlement.query(on: app.db).first())
            #expect(entitlement.headshotCount == 100 && entitlement.rerunCredits == 3)
            #expect(try await GenerationJob.query(on: app.db).count() == 1)
            #expect(try await app.deliverSandboxWebhooks() == 0, "a delivered webhook is not sent again")
        }
    }

    @Test func theAPIChargesThePackagePriceWhateverTheBodySays() async throws {
        try await withTestApp { app, _ in
            let (client, order) = try await Self.readyOrder(app)
            let basic = try #require(try await Package.query(on: app.db).filter(\.$code == "basic").first())
            var headers = client.auth
            headers.contentType = .json
            let tampered: [String: Any] = [
                "package": "basic", "presets": ["corporate-grey", "executive-navy"], "consent": true,
                "package_id": UUID().uuidString, "amount_minor": 1, "price_minor": 1, "headshot_count": 500, "currency": "JPY",
            ]
            let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers,
                                                            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: tampered)))
            #expect(response.status == .created)
            #expect(response.body.string.contains(#""amount_minor":2900"#) && response.body.string.contains(#""headshot_count":40"#))
            let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            #expect(stored.amountMinor == basic.priceMinor && stored.currency == "USD" && stored.headshotCount == 40)
            let checkout = try #require(try await SandboxCheckout.query(on: app.db).first())
            #expect(checkout.amountMinor == 2900 && checkout.currency == "USD")

            // Basic allows 3 styles; asking for 4 is refused and changes nothing.
            let tooMany: [String: Any] = ["package": "basic", "presets": StylePreset.allCases.prefix(4).map(\.rawValue), "consent": true]
            let refused = try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers,
                                                           body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: tooMany)))
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("up to 3 styles"))
        }
    }

    @Test func checkoutIsRefusedUntilThePhotosAreReady() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await client.upload(fixture: "faces/person-a/img1.jpg", to: order)
            var headers = client.auth
            headers.contentType = .json
            let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers,
                body: ByteBuffer(string: #"{"package":"professional","presets":["corporate-grey"],"consent":true}"#))
            #expect(response.status == .conflict && response.body.string.contains("set_not_ready"))
            #expect(try await SandboxCheckout.query(on: app.db).count() == 0)
        }
    }
}
