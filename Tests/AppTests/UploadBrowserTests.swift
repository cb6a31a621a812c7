import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The upload page in a real browser (Debian's Chromium, driven by chromedriver over WebDriver):
/// sign up, upload the 8 person-a photos and a group photo at once, see the group photo rejected
/// with its tip, remove it, and see Continue enabled; then choose Professional and five styles, consent,
/// see a declined card, pay with 4242… and watch the order become paid and queued. Screenshots go to
/// artifacts/ (ARTIFACTS_DIR).
@Suite("Upload page in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test installs them)"))
struct UploadBrowserTests {
    @Test func aPersonUploadsTheirSelfiesFixesTheSetAndCanContinue() async throws {
        // BASE_URL is the live test server, so the sandbox's redirects and its webhooks (over real HTTP)
        // reach this app as they would in production.
        try await withServedTestApp { app, _, site, port in
            try await WebDriver.session(app, port: port, failureShot: "upload-failure.png") { driver in
                try await run(driver, site: site, app: app)
            }
        }
    }

    private func run(_ driver: WebDriver, site: String, app: Application) async throws {
        // Sign up, then confirm the address from the (development outbox) mail, which signs in.
        let email = "browser-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try await driver.open(site + "/signup")
        try await driver.type(try await driver.find("#email"), email)
        try await driver.type(try await driver.find("#password"), Fixtures.password)
        try await driver.click(try await driver.find("form button[type=submit]"))
        try await driver.waitUntil("the check-your-email page") { try await driver.pageSource.contains(email) }
        let token = try await Fixtures.mailedToken(app, to: email, path: "/verify-email")
        try await driver.open(site + "/verify-email?token=" + token)
        try await driver.click(try await driver.find("main form button[type=submit]"))
        try await driver.waitUntil("the dashboard") { try await driver.currentURL.hasSuffix("/dashboard") }

        // New headshots → the upload page.
        try await driver.click(try await driver.find("main form[action='/orders'] button"))
        try await driver.waitUntil("the upload page") { try await driver.currentURL.hasSuffix("/photos") }
        #expect(try await driver.pageSource.contains("No sunglasses or hats"), "the guidance is shown first")
        #expect(try await driver.property(try await driver.find("#continue"), "disabled") as? Bool == true)

        // Ten files chosen at once: each uploads on its own request, with its own progress bar.
        let files = PhotoClient.personA.map(CheckCommandTests.fixture) + [CheckCommandTests.fixture("faces/groups/couple.jpg"), CheckCommandTests.fixture("no-face/rocket.jpg")]
        try await driver.type(try await driver.find("#photo-input"), files.joined(separator: "\n"))
        // The page marks the set aria-busy while uploads or refreshes are in flight.
        try await driver.waitUntil("ten checked photos", seconds: 120) {
            let cards = try await driver.findAll(".photo-card").count
            let uploading = try await driver.findAll("#upload-progress li").count
            let busy = try await driver.findAll("#photo-set[aria-busy]").count
            return cards == 10 && uploading == 0 && busy == 0
        }
        let counter = try await driver.text(try await driver.find("#counter"))
        #expect(counter.contains("8 good photos") && counter.contains("8–20"), "\(counter)")

        let rejected = try await driver.findAll(".photo-card.verdict-fail")
        #expect(rejected.count == 2)
        // The group photo's card (photos sent together are listed in no particular order among themselves).
        let texts = try await rejected.asyncMap { try await driver.text($0) }
        let cardText = try #require(texts.first { $0.contains("couple.jpg") }, "the group photo is among the refused: \(texts)")
        #expect(cardText.contains("couple.jpg") && cardText.contains("Can't use"))
        #expect(cardText.contains("people in this photo") && cardText.contains("Use a photo where you are the only person"), "\(cardText)")
        #expect(try await driver.findAll(".photo-card .facebox rect").count == 9, "each card with a face draws its face box")
        #expect(try await driver.property(try await driver.find("#continue"), "disabled") as? Bool == false,
                "eight good photos are enough: the refused ones do not hold the set back")
        #expect(try await driver.text(try await driver.find("#counter")).contains("the 2 photos we can't use are removed when you do"))
        try await driver.screenshot(to: WebDriverSetup.artifact("upload-verdicts.png"))

        // One click removes both refused photos.
        #expect(try await driver.text(try await driver.find("#remove-unusable")) == "Remove the 2 photos we can't use")
        try await driver.click(try await driver.find("#remove-unusable"))
        try await driver.waitUntil("eight photos and Continue enabled") {
            let cards = try await driver.findAll(".photo-card").count
            let busy = try await driver.findAll("#photo-set[aria-busy]").count
            let disabled = try await driver.property(try await driver.find("#continue"), "disabled") as? Bool
            return cards == 8 && busy == 0 && disabled == false
        }
        #expect(try await driver.text(try await driver.find("#counter")).contains("Ready to continue"))
        try await driver.screenshot(to: WebDriverSetup.artifact("upload-ready.png"))

        try await driver.click(try await driver.find("#continue"))
        try await driver.waitUntil("the order page") { try await driver.pageSource.contains("Your photos are ready") }
        #expect(try await UploadAsset.query(on: app.db).filter(\.$status == .accepted).count() == 8)

        // Styles, package and consent: Professional with all five styles.
        try await driver.click(try await driver.find("#choose-styles"))
        try await driver.waitUntil("the checkout form") { try await driver.currentURL.hasSuffix("/checkout") }
        try await driver.click(try await driver.find("#package-professional"))
        for preset in StylePreset.allCases {
            let box = try await driver.find("#preset-\(preset.rawValue)")
            if try await driver.property(box, "checked") as? Bool != true { try await driver.click(box) }
        }
        try await driver.click(try await driver.find("#consent"))
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the sandbox checkout") { try await driver.currentURL.contains("/sandbox/checkout/") }
        #expect(try await driver.pageSource.contains("$59"))

        // A declined card: a clear message, and the order stays unpaid.
        try await driver.type(try await driver.find("#card_number"), "4000 0000 0000 0002")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the decline message") { try await driver.pageSource.contains("Your card was declined") }
        try await driver.screenshot(to: WebDriverSetup.artifact("checkout-declined.png"))
        #expect(try await Order.query(on: app.db).first()?.status == .awaitingPayment)

        // The test card that succeeds: back on our page, which waits for the webhook before saying "paid".
        try await driver.type(try await driver.find("#card_number"), "4242 4242 4242 4242")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the payment page") { try await driver.currentURL.hasSuffix("/payment") }
        #expect(try await driver.pageSource.contains("Confirming your payment"))
        #expect(try await app.deliverSandboxWebhooks() == 1)
        try await driver.waitUntil("the page to show the paid, queued order", seconds: 30) {
            let page = try await driver.pageSource
            return page.contains("Payment received") && page.contains("In the queue")
        }
        try await driver.screenshot(to: WebDriverSetup.artifact("checkout-paid.png"))
        let order = try #require(try await Order.query(on: app.db).first())
        #expect(order.status == .queued && order.amountMinor == 5900 && order.presets?.split(separator: ",").count == 5)
        #expect(try await Entitlement.query(on: app.db).count() == 1)
    }
}

enum WebDriverSetup {
    static let environment = ProcessInfo.processInfo.environment
    static let chromedriver = environment["TEST_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"
    static let chromium = environment["TEST_CHROMIUM"] ?? "/usr/bin/chromium"
    /// `make test` sets TEST_CHROMEDRIVER, and then the test always runs (and fails if the browser is
    /// missing); a bare `swift test` runs it when Chromium happens to be installed.
    static var available: Bool {
        environment["TEST_CHROMEDRIVER"] != nil
            || (FileManager.default.isExecutableFile(atPath: chromedriver) && FileManager.default.isExecutableFile(atPath: chromium))
    }

    /// Where screenshots are kept for people to look at after the run.
    static func artifact(_ name: String) -> String {
        let directory = environment["ARTIFACTS_DIR"] ?? CheckCommandTests.packageRoot.appendingPathComponent("artifacts").path
        return directory + "/" + (environment["TEST_DATABASE"] ?? "sqlite") + "-" + name
    }

    /// A file in a folder of the artifacts (made if missing), e.g. `journey/`.
    static func artifact(_ name: String, in folder: String) throws -> String {
        let directory = (environment["ARTIFACTS_DIR"] ?? CheckCommandTests.packageRoot.appendingPathComponent("artifacts").path) + "/" + folder
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + (environment["TEST_DATABASE"] ?? "sqlite") + "-" + name
    }
}
