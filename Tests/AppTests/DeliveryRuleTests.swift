import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// What counts as delivery for the refund policy: any headshot bytes that leave at more than
/// thumbnail size, whatever the client declared. Each channel is tried on its own paid, completed
/// order through the server, then the customer asks for a refund as they would.
@Suite("Delivery rule") struct DeliveryRuleTests {
    /// A customer whose order was paid through the sandbox and made by the queue: three headshots.
    static func completedPaidOrder(_ app: Application) async throws -> (PhotoClient, String, [HeadshotDTO]) {
        let (client, user) = try await PhotoClient.make(app)
        let checkedOut = try await Fixtures.checkedOut(app, Order(userID: try user.requireID(), status: .draft), package: "basic", count: 3)
        let paid = try await PaymentFixtures.paidInSandbox(app, checkedOut)
        #expect(paid.status == .queued)
        #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
        let id = try paid.requireID().uuidString.lowercased()
        let list = try await client.api(.GET, "/orders/\(id)/headshots")
        #expect(list.status == .ok, "\(list.body.string)")
        let headshots = try JSONDecoder().decode(DownloadLinkTests.ListBody.self, from: Data(list.body.readableBytesView)).headshots
        #expect(headshots.count == 3)
        return (client, id, headshots)
    }

    static func askForRefund(_ client: PhotoClient, _ order: String) async throws -> String {
        let asked = try await RefundTests.post(client, "/orders/\(order)/refund-requests", #"{"reason":"not for me"}"#)
        #expect(asked.status == .created, "\(asked.body.string)")
        return try Browser.extract(#""status":"([a-z_]+)""#, from: asked.body.string)
    }

    enum Channel: CaseIterable { case fullInline, square, portrait, share, bundle }

    /// Fetches one headshot (or the bundle) of the order the way `channel` hands it out, without `dl=1`.
    static func fetch(_ channel: Channel, _ client: PhotoClient, order: String, headshot: HeadshotDTO) async throws {
        let path: String
        switch channel {
        case .fullInline: path = try #require(headshot.links["full"])
        case .square: path = try #require(headshot.links["square"])
        case .portrait: path = try #require(headshot.links["portrait"])
        case .share:
            var headers = client.auth
            headers.contentType = .json
            let created = try await client.browser.request(.POST, "/api/v1/orders/\(order)/headshots/\(headshot.id)/shares", headers: headers,
                                                           body: ByteBuffer(string: #"{"days":1}"#))
            #expect(created.status == .created, "\(created.body.string)")
            let url = try Browser.extract(#""url":"([^"]+)""#, from: created.body.string).replacingOccurrences(of: "\\/", with: "/")
            path = try #require(URLComponents(string: url)).path + "?" + (try #require(URLComponents(string: url)?.query))
            // A share link needs no session: whoever it was sent to opens it.
            let opened = try await Browser(client.browser.app).request(.GET, path)
            #expect(opened.status == .ok && opened.body.readableBytes > 0)
            return
        case .bundle:
            var headers = client.auth
            headers.contentType = .json
            let link = try await client.browser.request(.POST, "/api/v1/orders/\(order)/bundles", headers: headers,
                                                        body: ByteBuffer(string: #"{"selection":"all"}"#))
            #expect(link.status == .created, "\(link.body.string)")
            path = try Browser.extract(#""url":"([^"]+)""#, from: link.body.string).replacingOccurrences(of: "\\/", with: "/")
        }
        let served = try await client.browser.request(.GET, path)
        #expect(served.status == .ok && served.body.readableBytes > 0, "\(channel): \(served.status)")
    }

    @Test func headshotsViewedAtFullSizeByAnyChannelAreNotRefundedAutomatically() async throws {
        try await withTestApp { app, _ in
            for channel in Channel.allCases {
                let (client, order, headshots) = try await Self.completedPaidOrder(app)
                try await Self.fetch(channel, client, order: order, headshot: headshots[0])
                #expect(try await HeadshotDelivery.first(of: try #require(UUID(uuidString: order)), on: app.db) != nil, "\(channel) is a delivery")
                #expect(try await Self.askForRefund(client, order) == "requested", "\(channel): support decides")
                #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .completed)
            }
        }
    }

    @Test func anOrderSeenOnlyAsThumbnailsIsRefundedAtOnce() async throws {
        try await withTestApp { app, _ in
            let (client, order, headshots) = try await Self.completedPaidOrder(app)
            let gallery = try await client.browser.request(.GET, "/orders/\(order)/gallery")
            #expect(gallery.status == .ok && gallery.body.string.contains("viewed or downloaded at full size") == false)
            for headshot in headshots {
                #expect(try await client.browser.request(.GET, try #require(headshot.links["thumbnail"])).status == .ok)
            }
            let page = try await client.browser.request(.GET, "/orders/\(order)").body.string
            #expect(page.contains("refunded in full at once if you ask"))
            #expect(try await Self.askForRefund(client, order) == "refunded")
            #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .refunded)
            let terms = try await client.browser.request(.GET, "/help").body.string
            #expect(terms.contains("viewed or downloaded at full size"), "the policy names the rule it applies")
        }
    }
}

/// Item 1 as a customer meets it, in Chromium: an order whose headshots were only opened in the
/// gallery's lightbox (shown inline, never "downloaded") is not refunded automatically; an order whose
/// gallery was looked at only as thumbnails is.
@Suite("Delivery rule in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test installs them)"))
struct DeliveryRuleBrowserTests {
    @Test func headshotsOpenedOnlyInTheLightboxStopTheAutomaticRefundAndThumbnailsDoNot() async throws {
        try await withServedTestApp { app, _, site, port in
            let (viewer, viewed, _) = try await DeliveryRuleTests.completedPaidOrder(app)
            let (glancer, glanced, _) = try await DeliveryRuleTests.completedPaidOrder(app)
            var owners: [String] = []
            for order in [viewed, glanced] {
                let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
                owners.append(try #require(try await User.find(stored.$user.id, on: app.db)).email)
            }
            try await WebDriver.session(app, port: port, failureShot: "delivery-rule-failure.png") { driver in
                for (email, order, opens) in [(owners[0], viewed, true), (owners[1], glanced, false)] {
                    if !opens { try await driver.deleteCookies() }  // the first customer signs out
                    try await driver.logIn(site: site, email: email)
                    try await driver.open(site + "/orders/\(order)/gallery")
                    try await driver.waitUntil("three loaded thumbnails") {
                        let images = try await driver.findAll(".gallery-grid img")
                        var loaded = 0
                        for image in images where (try await driver.property(image, "naturalWidth") as? Int ?? 0) > 0 { loaded += 1 }
                        return images.count == 3 && loaded == 3
                    }
                    guard opens else { continue }
                    try await driver.click(try await driver.find(".headshot a.open-lightbox"))
                    try await driver.waitUntil("the full-size headshot in the lightbox") {
                        let open = try await driver.property(try await driver.find("#lightbox"), "open") as? Bool == true
                        let width = try await driver.property(try await driver.find("#lightbox img"), "naturalWidth") as? Int ?? 0
                        return open && width > 0
                    }
                    try await driver.click(try await driver.find(".lightbox-close"))
                }
            }
            #expect(try await DeliveryRuleTests.askForRefund(viewer, viewed) == "requested", "opened in the lightbox: support decides")
            #expect(try await Order.find(UUID(uuidString: viewed), on: app.db)?.status == .completed)
            #expect(try await DeliveryRuleTests.askForRefund(glancer, glanced) == "refunded", "only thumbnails: refunded at once")
            #expect(try await Order.find(UUID(uuidString: glanced), on: app.db)?.status == .refunded)
        }
    }
}
