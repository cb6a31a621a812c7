import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The checkout as a paying customer meets it in Chromium, at desktop and phone width: a package comes
/// with its styles, so Professional goes to payment at the first try; and once paid, every page of the
/// checkout — reloaded, gone back to, or sent again — says the payment was received and leads to the order.
@Suite("Checkout in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test)"))
struct CheckoutBrowserTests {
    /// A signed-up customer with person-a's 8 photos checked and ready, and the order's page path.
    static func readyOrder(_ app: Application) async throws -> (User, String) {
        let (client, user) = try await PhotoClient.make(app)
        let order = try await client.createOrder()
        for photo in PhotoClient.personA { #expect(try await client.upload(fixture: photo, to: order).status == .created) }
        #expect(try await client.readiness(order)["ready"] as? Bool == true)
        return (user, "/orders/" + order)
    }

    static func main(_ driver: WebDriver) async throws -> String { try await driver.text(try await driver.find("main")) }

    @Test(arguments: [JourneyBrowserTests.Viewport.desktop, .phone])
    func professionalGoesToPaymentAtTheFirstTryAndAPaidCheckoutSaysPaymentReceivedWhenRevisited(viewport: JourneyBrowserTests.Viewport) async throws {
        try await withServedTestApp { app, _, site, port in
            let (user, orderPath) = try await Self.readyOrder(app)
            try await WebDriver.session(app, port: port, failureShot: "checkout-\(viewport.rawValue)-failure.png") { driver in
                try await driver.setWindowSize(width: viewport.size.width, height: viewport.size.height)
                try await driver.logIn(site: site, email: user.email)
                try await driver.open(site + orderPath + "/checkout")
                // Nothing but the consent: the package's own styles are already chosen.
                try await driver.click(try await driver.find("#consent"))
                try await driver.click(try await driver.find("#pay"))
                try await driver.waitUntil("the payment page at the first try") {
                    try await driver.currentURL.hasPrefix(site + "/sandbox/checkout/")
                }
                #expect(try await Self.main(driver).contains("Professional: 100 headshots in 5 styles"))
                let payPage = try await driver.currentURL

                try await driver.type(try await driver.find("#card_number"), "4242 4242 4242 4242")
                try await driver.click(try await driver.find("#pay"))
                try await driver.waitUntil("the payment status page") { try await driver.currentURL.hasSuffix(orderPath + "/payment") }
                _ = try await app.testServices.deliverSandboxWebhooks()
                try await driver.execute("location.reload()")
                try await driver.waitUntil("payment received after a reload") { try await Self.main(driver).contains("Payment received") }

                // Back to the provider's page, and back again to the checkout form: both say it is paid.
                for what in ["the provider's page", "the checkout form"] {
                    try await driver.execute("history.back()")
                    try await driver.waitUntil("\(what), gone back to, says the payment was received") {
                        try await Self.main(driver).contains("Payment received")
                    }
                }
                for (what, url) in [("the provider's page", payPage), ("the checkout form", site + orderPath + "/checkout")] {
                    try await driver.open(url)
                    try await driver.waitUntil("\(what), opened again, says the payment was received") {
                        try await Self.main(driver).contains("Payment received")
                    }
                    #expect(try await driver.currentURL == site + orderPath + "?notice=paid", "\(what) leads to the order")
                    #expect(try await driver.findAll("#pay").isEmpty, "no payment form on \(what) of a paid order")
                }
                // The checkout form sent again (as a stale tab would): the same answer, not an error.
                let again = try await driver.executeAsync("""
                    var done = arguments[arguments.length - 1];
                    var body = new URLSearchParams({ package: "professional", "presets[]": "corporate-grey", consent: "yes",
                        _csrf: document.querySelector("meta[name=csrf-token]").content });
                    fetch("\(orderPath)/checkout", { method: "POST", body: body, credentials: "same-origin" })
                      .then(function (r) { return r.text().then(function (t) { done(r.status + " " + t); }); });
                    """) as? String ?? ""
                #expect(again.hasPrefix("200 ") && again.contains("Payment received"), "\(again.prefix(300))")
            }
            // The form sent again after paying: the same answer, not an error.
            let entitlements = try await Entitlement.query(on: app.db).count()
            #expect(entitlements == 1, "paid once")
        }
    }
}
