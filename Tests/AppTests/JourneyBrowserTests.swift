import Fluent
import Foundation
@testable import Imaging
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The customer's whole journey in Chromium, once in a desktop window and once on a phone-sized one
/// (390 px), with the site opened on a loopback alias of BASE_URL (127.0.0.1 while BASE_URL says
/// localhost) and every mail through the SMTP test server: sign up, confirm from the mail, upload
/// person-a with a blurred and a group photo, remove both in one click, choose Professional with every
/// style, consent, have a card declined on the sandbox's page and pay with 4242, watch headshots appear
/// before the order completes, the gallery, a favourite, the ZIP of all 100, report an issue with a
/// headshot, delete the account and read the deletion receipt. A screenshot of every step goes to
/// artifacts/journey/; on the phone, no page scrolls sideways.
/// scripts/scaleout.sh runs the same journey, desktop and phone, against the scale-out topology (nginx
/// with TLS, two web nodes, two workers, PostgreSQL, S3), where its own workers pay, render, mail and delete.
@Suite("Customer journey in Chromium", .enabled(if: WebDriverSetup.available && TestSMTP.available,
                                                "needs chromium, chromium-driver and the SMTP test server (make test)"))
struct JourneyBrowserTests {
    enum Viewport: String, CustomTestStringConvertible {
        case desktop, phone
        var size: (width: Int, height: Int) { self == .phone ? (390, 844) : (1280, 900) }
        var testDescription: String { self == .phone ? "390 px phone" : "1280 px desktop" }
    }

    /// Both on the SQLite pass; the phone again on PostgreSQL (the pages are the same, the data is not).
    static var viewports: [Viewport] { TestDatabase.postgresAdminURL == nil ? [.desktop, .phone] : [.phone] }

    /// Where the journey runs and how the test sees behind its pages.
    struct Place {
        /// The address the browser opens.
        let site: String
        /// On the site's database and storage: the test's own app, or one opened on the topology's.
        let app: Application
        /// The scale-out topology: its own workers take the payment, render, send the mail and delete;
        /// otherwise the test runs each of those itself, when the journey reaches it.
        let topology: Bool
        /// Fetches a path with the browser's cookies.
        let fetch: (_ cookies: [String: String]) -> SiteFetch
    }

    @Test(arguments: viewports)
    func theWholeJourneyWorksFromALoopbackAliasOfTheSite(viewport: Viewport) async throws {
        let port = try freeLoopbackPort()
        // BASE_URL names localhost; the browser uses 127.0.0.1, as someone following `make run`'s other address would.
        try await withTestApp(customize: { $0.baseURL = URL(string: "http://localhost:\(port)")! }, services: TestSMTP.use) { app, clock in
            let place = Place(site: "http://127.0.0.1:\(port)", app: app, topology: false, fetch: { Browser.fetch(app, cookies: $0) })
            try await WebDriver.session(app, port: port, failureShot: "journey-\(viewport.rawValue)-failure.png") { driver in
                try await driver.setWindowSize(width: viewport.size.width, height: viewport.size.height)
                try await journey(driver, viewport: viewport, place: place)
            }
        }
    }

    /// The topology's address and the certificate its nginx presents (scripts/scaleout.sh sets both).
    static let topologySite = ProcessInfo.processInfo.environment["JOURNEY_SITE"]
    static let topologyCertificate = ProcessInfo.processInfo.environment["JOURNEY_CA_FILE"]

    @Test(.enabled(if: topologySite != nil, "scripts/scaleout.sh runs it against its topology"), arguments: [Viewport.desktop, .phone])
    func theWholeJourneyWorksThroughTheScaleOutTopology(viewport: Viewport) async throws {
        let site = try #require(Self.topologySite), certificate = try #require(Self.topologyCertificate)
        try await withDeploymentApp { app in
            let place = Place(site: site, app: app, topology: true, fetch: { cookies in
                { path in try Self.curl(site + path, cookies: cookies, certificate: certificate) }
            })
            try await WebDriver.session(failureShot: "journey-\(viewport.rawValue)-failure.png", acceptInsecureCerts: true) { driver in
                try await driver.setWindowSize(width: viewport.size.width, height: viewport.size.height)
                try await journey(driver, viewport: viewport, place: place)
            }
        }
    }

    /// GETs `url` with curl, trusting `certificate`: the status and the body.
    static func curl(_ url: String, cookies: [String: String], certificate: String) throws -> (status: UInt, body: Data) {
        let file = NSTemporaryDirectory() + "fetch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let cookie = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let run = try Shell.run("curl", ["-s", "--cacert", certificate, "-H", "Cookie: \(cookie)", "-o", file, "-w", "%{http_code}", url])
        return (UInt(run.output) ?? 0, (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
    }

    static func onCheckoutForm(_ driver: WebDriver) async throws -> Bool {
        let url = try await driver.currentURL
        return url.contains("/checkout") && !url.contains("/sandbox/")
    }

    /// A blurred copy of a face photo (σ = 4 px, a blur anyone sees), written where the browser can pick it.
    static func blurredPhoto() throws -> String {
        let source = try VipsImage.decodeNormalised(Array(try Data(contentsOf: URL(fileURLWithPath: CheckCommandTests.fixture("faces/singles/obama.jpg")))),
                                                    maxSide: 4096, timeLimit: 30)
        let path = NSTemporaryDirectory() + "blurred-\(UUID().uuidString.prefix(8)).jpg"
        try Data(try source.gaussianBlurred(sigma: 4).jpeg(quality: 92)).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func journey(_ driver: WebDriver, viewport: Viewport, place: Place) async throws {
        let (site, app) = (place.site, place.app)
        /// Mail goes out as soon as it is queued on the topology; in-process, the test sends it.
        func sendMail() async { if !place.topology { await app.mailQueue.drain() } }
        var step = 0
        /// A screenshot of the step in artifacts/journey/; on the phone, the page must not scroll sideways.
        func page(_ name: String) async throws {
            step += 1
            if viewport == .phone {
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
            }
            try await driver.screenshot(to: try WebDriverSetup.artifact(String(format: "%@-%02d-%@.png", viewport.rawValue, step, name), in: "journey"))
        }

        try await driver.open(site + "/")
        try await page("landing")
        try await driver.open(site + "/styles")
        try await page("styles")

        // Sign up with a name; the confirmation link comes through the SMTP server.
        let email = "journey-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try await driver.open(site + "/signup")
        try await page("signup")
        try await driver.type(try await driver.find("#name"), "Ada Example")
        try await driver.type(try await driver.find("#email"), email)
        try await driver.type(try await driver.find("#password"), Fixtures.password)
        try await driver.click(try await driver.find("main form button[type=submit]"))
        try await driver.waitUntil("the check-your-email page") { try await driver.pageSource.contains(email) }
        try await page("check-email")
        await sendMail()
        let confirmation = try await TestSMTP.received(subject: "Confirm your email for Headshot Studio", to: email)
        let token = try Browser.extract(#"/verify-email\?token=([A-Za-z0-9_\-]+)"#, from: confirmation["text"] as? String ?? "")
        try await driver.open(site + "/verify-email?token=" + token)
        try await page("confirm-email")
        try await driver.click(try await driver.find("main form button[type=submit]"))
        try await driver.waitUntil("the dashboard") { try await driver.currentURL == site + "/dashboard" }
        try await page("dashboard-empty")

        // Upload person-a with a blurred photo and a group photo; both are refused with the reason; one click removes them.
        try await driver.click(try await driver.find("main form[action='/orders'] button"))
        try await driver.waitUntil("the upload page") { try await driver.findAll("#photo-input").count == 1 }
        let blurred = try Self.blurredPhoto()
        defer { try? FileManager.default.removeItem(atPath: blurred) }
        let files = CheckCommandTests.personA + [blurred, CheckCommandTests.fixture("faces/groups/couple.jpg")]
        try await driver.type(try await driver.find("#photo-input"), files.joined(separator: "\n"))
        try await driver.waitUntil("ten checked photos", seconds: 120) {
            let cards = try await driver.findAll(".photo-card").count
            let busy = try await driver.findAll("#photo-set[aria-busy]").count + (try await driver.findAll("#upload-progress li").count)
            return cards == 10 && busy == 0
        }
        let refused = try await driver.findAll(".photo-card.verdict-fail").asyncMap { try await driver.text($0) }
        #expect(refused.count == 2 && refused.contains { $0.contains("blurry") } && refused.contains { $0.lowercased().contains("people") || $0.lowercased().contains("faces") },
                "the refused cards say why: \(refused)")
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

        // Professional comes with all five of its styles ticked; consent is asked for before the form goes.
        try await driver.click(try await driver.find("#choose-professional"))
        try await driver.waitUntil("the checkout") { try await driver.currentURL.contains("/checkout") }
        #expect(try await driver.property(try await driver.find("#package-professional"), "checked") as? Bool == true)
        #expect(try await driver.text(try await driver.find("#styles-count")) == "5 of up to 5 styles chosen for Professional.")
        // A package switched to brings its own styles until the customer picks styles by hand.
        try await driver.click(try await driver.find("#package-basic"))
        #expect(try await driver.text(try await driver.find("#styles-count")) == "3 of up to 3 styles chosen for Basic.")
        try await driver.click(try await driver.find("#package-professional"))
        #expect(try await driver.text(try await driver.find("#styles-count")) == "5 of up to 5 styles chosen for Professional.")
        // Styles picked by hand stay: Basic then says how many to untick, and the form stays.
        let last = try await driver.find("#preset-\(StylePreset.allCases.last!.rawValue)")
        try await driver.click(last)
        try await driver.click(last)
        try await driver.click(try await driver.find("#package-basic"))
        #expect(try await driver.text(try await driver.find("#pay-blocked")) == "Basic includes up to 3 styles: untick 2.")
        try await driver.click(try await driver.find("#pay"))
        #expect(try await Self.onCheckoutForm(driver), "the form stayed")
        try await driver.click(try await driver.find("#package-professional"))
        #expect(try await driver.text(try await driver.find("#styles-count")) == "5 of up to 5 styles chosen for Professional.")
        #expect(try await driver.text(try await driver.find("#pay-blocked")).isEmpty)
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

        // A declined card: the provider's page says so and nothing is paid; then 4242 pays.
        try await driver.type(try await driver.find("#card_number"), "4000 0000 0000 0002")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the decline") { (try? await driver.text(try await driver.find("[role=alert]")))?.contains("Your card was declined") == true }
        /// The journey's order (the topology's database holds other customers' too).
        func theOrder() async throws -> Order? {
            try await Order.query(on: app.db).join(User.self, on: \Order.$user.$id == \User.$id).filter(User.self, \.$email == email).first()
        }
        #expect(try await theOrder()?.status == .awaitingPayment)
        try await page("payment-declined")
        let card = try await driver.find("#card_number")
        try await driver.clear(card)
        try await driver.type(card, "4242 4242 4242 4242")
        try await driver.click(try await driver.find("#pay"))
        try await driver.waitUntil("the payment return page") { try await driver.currentURL.hasSuffix("/payment") }
        try await page("payment-return")
        // The sandbox's webhook: the topology's workers post it through nginx; in-process, the test does.
        if !place.topology { #expect(try await app.deliverSandboxWebhooks() == 1) }
        try await driver.waitUntil("the order page, following the work", seconds: 30) {
            let url = try await driver.currentURL
            let live = try await driver.findAll("#order-progress").count
            return url.contains("/orders/") && url.contains("notice=paid") && live == 1
        }
        let order = try #require(try await theOrder())
        let orderID = try order.requireID().uuidString.lowercased()
        // The topology's workers may have claimed it already.
        #expect((place.topology ? [.queued, .processing] : [.queued]).contains(order.status) && order.headshotCount == 100)
        try await page("order-paid")

        // Headshots appear on the open page before the order completes: in-process a worker delivers two and
        // pauses; on the topology its workers render (PROBE_MS_PER_HEADSHOT apart) while the page follows.
        let generator = HalfwayGenerator(stopAfter: 2)
        let worker = place.topology ? nil : Task { try await QueueWorker(app: app, generator: generator).runOnce() }
        defer { generator.released.withLockedValue { $0 = true } }
        try await driver.waitUntil("headshots shown while the order is being made", seconds: 60) {
            let images = try await driver.findAll("#order-latest img")
            var loaded = 0
            for image in images where (try await driver.property(image, "naturalWidth") as? Int ?? 0) > 0 { loaded += 1 }
            let state = try await driver.text(try await driver.find("#order-state"))
            return (place.topology ? loaded >= 1 : loaded == 2) && state == "Being made"
        }
        if let worker {
            #expect(try await Order.find(order.id, on: app.db)?.status == .processing)
            try await page("order-being-made")
            generator.released.withLockedValue { $0 = true }
            #expect(try await worker.value)
        } else {
            try await page("order-being-made")
        }
        try await driver.waitUntil("the finished order", seconds: 90) { try await driver.findAll("#open-gallery").count == 1 }
        try await page("order-completed")

        // The gallery: 100 headshots, one marked as a favourite, the ZIP of all of them.
        try await driver.click(try await driver.find("#open-gallery"))
        try await driver.waitUntil("the gallery") { try await driver.findAll(".gallery-grid li.headshot").count == 100 }
        try await page("gallery")
        try await driver.click(try #require(try await driver.findAll(".headshot form.favourite button[aria-pressed=false]").first))
        try await driver.waitUntil("the favourite") { try await driver.findAll("button[aria-pressed=true]").count == 1 }
        #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).filter(\.$favourite == true).count() == 1)
        try await page("gallery-favourite")
        let fetch = place.fetch(try await driver.cookies())
        #expect(try await driver.withZip(behind: "#zip-all", site: site, fetch: fetch) { names, _ in names.count } == 100)

        // Report an issue with one headshot: the request names it and goes to support.
        try await driver.click(try await driver.find(".headshot a.report-link"))
        try await driver.waitUntil("the request form with the headshot") { try await driver.findAll("#attach-headshots input[checked]").count == 1 }
        try await driver.click(try await driver.find("#category option[value=doesnt_look_like_me]"))
        try await driver.type(try await driver.find("#message"), "The chin is sharper than mine in this one.")
        try await page("report-issue")
        try await driver.click(try await driver.find("#send-ticket"))
        try await driver.waitUntil("the request's page") { try await driver.currentURL.contains("/support/") }
        let ticket = try #require(try await SupportTicket.query(on: app.db).filter(\.$order.$id == order.requireID()).first())
        #expect(ticket.category == "doesnt_look_like_me")
        #expect(try await SupportAttachment.query(on: app.db).filter(\.$ticket.$id == ticket.requireID()).count() == 1)
        try await page("report-sent")

        // Delete the account: the receipt is shown when the work is done, and mailed.
        try await driver.open(site + "/account")
        try await page("account")
        try await driver.click(try await driver.find("#delete-account-link"))
        try await driver.waitUntil("the confirmation page") { (try? await driver.find("#confirm-deletion")) != nil }
        try await driver.type(try await driver.find("#password"), Fixtures.password)
        try await page("delete-account")
        try await driver.click(try await driver.find("#confirm-deletion"))
        try await driver.waitUntil("the deletion's page") { (try? await driver.find("#deletion-state")) != nil }
        let userID = order.$user.id
        // The topology's workers run the deletion; in-process, the test does.
        if !place.topology { #expect(try await DeletionTests.worker(app).runDue() == 1) }
        try await driver.waitUntil("the receipt", seconds: 60) {
            guard let state = try? await driver.find("#deletion-state"), (try? await driver.text(state)) == "Deleted" else { return false }
            return (try? await driver.find("#deletion-receipt")) != nil
        }
        #expect(try await driver.text(try await driver.find("#deletion-receipt")).contains("Headshots"))
        try await page("deletion-receipt")
        #expect(try await User.query(on: app.db).filter(\.$email == email).count() == 0)
        let left = try await Order.find(order.id, on: app.db)
        #expect(left == nil || left?.status == .deleted)
        #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(try order.requireID()) + "/").isEmpty, "no file of order \(orderID) is left")
        await sendMail()
        let receipt = try #require(try await DeletionRequest.query(on: app.db).filter(\.$userID == userID).filter(\.$scope == .account).first()?.receiptID)
        _ = try await TestSMTP.received(subject: "Your data was deleted (receipt \(receipt.uuidString.lowercased().prefix(8)))", to: email)
    }
}
