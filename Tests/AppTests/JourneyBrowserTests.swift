import Fluent
import Foundation
import Testing
import Vapor
@testable import App

/// The customer's whole journey in Chromium on a phone-sized window (390 px), with the site opened on
/// a loopback alias of BASE_URL (127.0.0.1 while BASE_URL says localhost): sign up, upload person-a
/// with a group photo and a photo without a face, remove both in one click, choose Professional from
/// the order page, pay on the sandbox's page, come back to the order page and watch headshots appear
/// before the order completes, then the gallery, a preview, the account, help, terms and contact. On
/// every page: nothing scrolls sideways at 390 px; a screenshot at 390 px and at desktop width.
@Suite("Customer journey in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test installs them)"))
struct JourneyBrowserTests {
    @Test func theWholeJourneyWorksOnAPhoneFromALoopbackAliasOfTheSite() async throws {
        let port = try freeLoopbackPort()
        // BASE_URL names localhost; the browser uses 127.0.0.1, as someone following `make run`'s other address would.
        try await withTestApp(customize: { $0.baseURL = URL(string: "http://localhost:\(port)")! }) { app, clock in
            let site = "http://127.0.0.1:\(port)"
            try await WebDriver.session(app, port: port, failureShot: "journey-failure.png") { driver in
                try await driver.setWindowSize(width: 390, height: 844)
                try await journey(driver, site: site, app: app)
            }
        }
    }

    static func onCheckoutForm(_ driver: WebDriver) async throws -> Bool {
        let url = try await driver.currentURL
        return url.contains("/checkout") && !url.contains("/sandbox/")
    }

    private func journey(_ driver: WebDriver, site: String, app: Application) async throws {
        var step = 0
        /// Checks the page does not scroll sideways at 390 px, and keeps a screenshot at both widths.
        func page(_ name: String) async throws {
            step += 1
            let overflow = try await driver.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth") as? Int
            if overflow != 0 {
                let culprits = try await driver.execute("""
                    var width = document.documentElement.clientWidth, out = [];
                    document.querySelectorAll('body *').forEach(function (e) {
                      var r = e.getBoundingClientRect();
                      if (r.right > width + 1) out.push(e.tagName + '.' + e.className + '#' + e.id + ' right=' + Math.round(r.right));
                    });
                    return out.slice(0, 8).join('; ');
                    """) as? String
                Issue.record("\(name) scrolls sideways by \(overflow ?? -1) px at 390 px: \(culprits ?? "")")
            }
            let file = String(format: "journey-%02d-%@", step, name)
            try await driver.screenshot(to: WebDriverSetup.artifact(file + "-390.png"))
            try await driver.setWindowSize(width: 1280, height: 1000)
            try await driver.screenshot(to: WebDriverSetup.artifact(file + "-desktop.png"))
            try await driver.setWindowSize(width: 390, height: 844)
        }

        try await driver.open(site + "/")
        try await page("landing")
        try await driver.open(site + "/styles")
        try await page("styles")

        // Sign up with a name, confirm from the mail.
        let email = "journey-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try await driver.open(site + "/signup")
        try await page("signup")
        try await driver.type(try await driver.find("#name"), "Ada Example")
        try await driver.type(try await driver.find("#email"), email)
        try await driver.type(try await driver.find("#password"), Fixtures.password)
        try await driver.click(try await driver.find("main form button[type=submit]"))
        try await driver.waitUntil("the check-your-email page") { try await driver.pageSource.contains(email) }
        try await page("check-email")
        let token = try await Fixtures.mailedToken(app, to: email, path: "/verify-email")
        try await driver.open(site + "/verify-email?token=" + token)
        try await page("confirm-email")
        try await driver.click(try await driver.find("main form button[type=submit]"))
        try await driver.waitUntil("the dashboard") { try await driver.currentURL == site + "/dashboard" }
        try await page("dashboard-empty")

        // Upload person-a with two photos we can't use; remove both in one click; continue.
        try await driver.click(try await driver.find("main form[action='/orders'] button"))
        try await driver.waitUntil("the upload page") { try await driver.findAll("#photo-input").count == 1 }
        let files = PhotoClient.personA.map(CheckCommandTests.fixture) + ["faces/groups/couple.jpg", "no-face/rocket.jpg"].map(CheckCommandTests.fixture)
        try await driver.type(try await driver.find("#photo-input"), files.joined(separator: "\n"))
        try await driver.waitUntil("ten checked photos", seconds: 120) {
            let cards = try await driver.findAll(".photo-card").count
            let busy = try await driver.findAll("#photo-set[aria-busy]").count + (try await driver.findAll("#upload-progress li").count)
            return cards == 10 && busy == 0
        }
        try await page("upload-checked")
        try await driver.click(try await driver.find("#remove-unusable"))
        try await driver.waitUntil("the ready set") {
            let cards = try await driver.findAll(".photo-card").count
            let refused = try await driver.findAll(".photo-card.verdict-fail").count
            return cards == 8 && refused == 0
        }
        try await page("upload-ready")
        try await driver.click(try await driver.find("#continue"))
        try await driver.waitUntil("the order page") { try await driver.findAll("#choose-professional").count == 1 }
        try await page("order-draft")

        // The package card opens the checkout with Professional chosen; all five styles; consent; pay.
        try await driver.click(try await driver.find("#choose-professional"))
        try await driver.waitUntil("the checkout") { try await driver.currentURL.contains("/checkout") }
        #expect(try await driver.property(try await driver.find("#package-professional"), "checked") as? Bool == true)
        for preset in StylePreset.allCases {
            let box = try await driver.find("#preset-\(preset.rawValue)")
            if try await driver.property(box, "checked") as? Bool != true { try await driver.click(box) }
        }
        // Checked as they are chosen: Basic allows 3 styles, so five ticked say how many to untick and the form stays.
        try await driver.click(try await driver.find("#package-basic"))
        #expect(try await driver.text(try await driver.find("#pay-blocked")) == "Basic includes up to 3 styles: untick 2.")
        try await driver.click(try await driver.find("#pay"))
        #expect(try await Self.onCheckoutForm(driver), "the form stayed")
        try await driver.click(try await driver.find("#package-professional"))
        #expect(try await driver.text(try await driver.find("#styles-count")) == "5 of up to 5 styles chosen for Professional.")
        #expect(try await driver.text(try await driver.find("#pay-blocked")).isEmpty)
        // Consent not given yet: the page says so instead of sending the form.
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the consent message") {
            try await driver.text(try await driver.find("#consent-error")).contains("Please tick the box")
        }
        #expect(try await Self.onCheckoutForm(driver), "the form stayed")
        try await driver.click(try await driver.find("#consent"))
        try await page("checkout")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the sandbox's payment page on the browser's own address") {
            try await driver.currentURL.hasPrefix(site + "/sandbox/checkout/")
        }
        let summary = try await driver.text(try await driver.find("main"))
        #expect(summary.contains("$59") && summary.contains("Professional: 100 headshots in 5 styles (Corporate Grey"), "the payment page summarises the order: \(summary)")
        try await page("payment-provider")
        try await driver.type(try await driver.find("#card_number"), "4242 4242 4242 4242")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the payment return page") { try await driver.currentURL.hasSuffix("/payment") }
        try await page("payment-return")
        #expect(try await app.deliverSandboxWebhooks() == 1)
        try await driver.waitUntil("the order page, following the work", seconds: 30) {
            let url = try await driver.currentURL
            let live = try await driver.findAll("#order-progress").count
            return url.contains("/orders/") && url.contains("notice=paid") && live == 1
        }
        let order = try #require(try await Order.query(on: app.db).first())
        #expect(order.status == .queued && order.headshotCount == 100)
        try await page("order-paid")

        // A worker delivers two headshots and pauses: they appear on the open page before the order completes.
        let generator = HalfwayGenerator(stopAfter: 2)
        let worker = Task { try await QueueWorker(app: app, generator: generator).runOnce() }
        defer { generator.released.withLockedValue { $0 = true } }
        try await driver.waitUntil("two headshots shown while the order is being made", seconds: 60) {
            let images = try await driver.findAll("#order-latest img")
            var loaded = 0
            for image in images where (try await driver.property(image, "naturalWidth") as? Int ?? 0) > 0 { loaded += 1 }
            let state = try await driver.text(try await driver.find("#order-state"))
            return loaded == 2 && state == "Being made"
        }
        #expect(try await Order.find(order.id, on: app.db)?.status == .processing)
        try await page("order-being-made")
        generator.released.withLockedValue { $0 = true }
        #expect(try await worker.value)
        try await driver.waitUntil("the finished order", seconds: 60) { try await driver.findAll("#open-gallery").count == 1 }
        try await page("order-completed")

        // Dashboard, gallery, a preview with the name given at sign-up.
        try await driver.open(site + "/dashboard")
        try await driver.waitUntil("the dashboard's order picture") {
            let cover = try await driver.find("img.order-cover")
            return (try await driver.property(cover, "naturalWidth") as? Int ?? 0) > 0
        }
        try await page("dashboard-order")
        try await driver.click(try await driver.find("a.order-link"))
        try await driver.waitUntil("the order") { try await driver.findAll("#open-gallery").count == 1 }
        try await driver.click(try await driver.find("#open-gallery"))
        try await driver.waitUntil("the gallery") { try await driver.findAll(".gallery-grid li.headshot").count == 100 }
        try await page("gallery")
        try await driver.click(try await driver.find(".headshot a.preview-link"))
        try await driver.waitUntil("the preview") { try await driver.findAll("#profile-card").count == 1 }
        #expect(try await driver.text(try await driver.find("#profile-card")).contains("Ada Example"))
        try await driver.click(try await driver.find("#share-1"))
        try await driver.waitUntil("the share link") { try await driver.findAll("#sharing li.share").count == 1 }
        try await page("preview-shared")
        try await driver.open(site + "/orders/\(order.id!.uuidString.lowercased())/photos")
        try await page("selfies")
        try await driver.open(site + "/orders/\(order.id!.uuidString.lowercased())/receipt")
        try await page("receipt")

        for (path, name) in [("/account", "account"), ("/account/activity", "activity"), ("/help", "help"), ("/terms", "terms"),
                             ("/contact", "contact"), ("/privacy", "privacy"), ("/notifications", "notifications")] {
            try await driver.open(site + path)
            try await page(name)
        }
    }
}
