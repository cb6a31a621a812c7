import BlobStorage
import Fluent
import Foundation
import SiteRoutes
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Signed, expiring download links against a completed order (made by the probe generator through
/// the real queue): the owner's link works; a tampered signature, a changed id or variant, an expired
/// link, another user's session and a signed-out request are each refused with their own status.
@Suite("Download links") struct DownloadLinkTests {
    /// A signed-in customer with a completed order of three headshots.
    static func completedOrder(_ app: Application, _ clock: ManualClock) async throws -> (PhotoClient, UUID, [HeadshotDTO]) {
        let (client, user) = try await PhotoClient.make(app)
        let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
        try await GenerationJob.query(on: app.db).filter(\.$id == job.id!).set(\.$progressTotal, to: 3).set(\.$payload, to: "corporate-grey,bright-white").update()
        #expect(try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .zero)).runOnce())
        let orderID = job.$order.id
        let list = try await client.browser.request(.GET, "/api/v1/orders/\(orderID.uuidString.lowercased())/headshots", headers: client.auth)
        #expect(list.status == .ok, "\(list.body.string)")
        let decoded = try JSONDecoder().decode(ListBody.self, from: Data(list.body.readableBytesView))
        return (client, orderID, decoded.headshots)
    }

    struct ListBody: Decodable { let headshots: [HeadshotDTO] }

    static func get(_ browser: Browser, _ path: String) async throws -> TestingHTTPResponse {
        try await browser.request(.GET, path)
    }

    /// Links and paths carry ids in the canonical lower-case form, whichever way it is written.
    @Test func idsInLinksAreTheCanonicalLowerCaseForm() {
        let ids = (0..<2_000).map { _ in UUID() } + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                                     UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        for id in ids { #expect(id.lowercasedString == id.uuidString.lowercased()) }
        #expect(SiteURL.shared(.value(ids[0])).path == "/shared/" + ids[0].uuidString.lowercased())
    }

    @Test func theOwnersLinkWorksAndEveryAlteredOrForeignRequestIsRefused() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, headshots) = try await Self.completedOrder(app, clock)
            #expect(headshots.count == 3 && Set(headshots.map(\.preset)) == ["corporate-grey", "bright-white"])
            let first = try #require(headshots.first), second = try #require(headshots.last)
            let full = try #require(first.links["full"])

            // The owner: the stored bytes, never cached, with a sensible file name when downloaded.
            let ok = try await Self.get(client.browser, full + "&dl=1")
            #expect(ok.status == .ok && ok.headers.first(name: .cacheControl) == "private, no-store")
            let asset = try #require(try await GeneratedAsset.find(UUID(uuidString: first.id), on: app.db))
            #expect(Array(ok.body.readableBytesView) == (try await app.blobStore.read(BlobKey(path: asset.blobKey))))
            #expect(ok.headers.first(name: .contentDisposition) == #"attachment; filename="headshot-\#(first.preset)-01.jpg""#)
            #expect(try await DownloadEvent.query(on: app.db).count() == 1, "a completed download is recorded")

            // Tampered signature, another id, another variant: 403.
            let tampered = full.replacingOccurrences(of: "sig=", with: "sig=A")
            #expect(try await Self.get(client.browser, tampered).status == .forbidden)
            #expect(try await Self.get(client.browser, full.replacingOccurrences(of: first.id, with: second.id)).status == .forbidden)
            #expect(try await Self.get(client.browser, full.replacingOccurrences(of: "/full?", with: "/square?")).status == .forbidden)
            let unknownKey = full.replacingOccurrences(of: #"kid=[a-z0-9]+"#, with: "kid=k00000000", options: .regularExpression)
            #expect(unknownKey != full)
            #expect(try await Self.get(client.browser, unknownKey).status == .forbidden)

            // Signed out: 401. Another user's session: 403.
            #expect(try await Self.get(Browser(app), full).status == .unauthorized)
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await Self.get(stranger.browser, full).status == .forbidden)

            // Expired: 410 with a fresh link that works; a regenerated list gives working links too. (A
            // listing's links last the lifetime from whenever its cached signing is served.)
            clock.advance(by: DownloadLinks.lifetime + GalleryCache.reuseFor + 1)
            let expired = try await Self.get(client.browser, full)
            #expect(expired.status == .gone)
            let fresh = try Browser.extract(#"id="fresh-link"[^>]*href="([^"]+)""#, from: expired.body.string).replacingOccurrences(of: "&amp;", with: "&")
            #expect(try await Self.get(client.browser, fresh).status == .ok)
            let page = try await client.browser.request(.GET, "/orders/\(orderID.uuidString.lowercased())/gallery")
            #expect(page.status == .ok && page.body.string.contains("3 headshots in 2 styles") && page.body.string.contains("will be deleted on"))
            let regenerated = try Browser.extract(#"href="(/downloads/headshots/\#(first.id)/full\?[^"]+)""#, from: page.body.string)
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(try await Self.get(client.browser, regenerated).status == .ok)

            // Deleting the headshot kills every link to it.
            try await Audit.transition(asset, to: .deleted, by: .system(), at: clock.now(), on: app.db)
            #expect(try await Self.get(client.browser, regenerated).status == .gone)
        }
    }

    @Test func cropsAreJPEGsOfTheRightShapeAndOnlyDownloadsAreCounted() async throws {
        try await withTestApp { app, clock in
            let (client, _, headshots) = try await Self.completedOrder(app, clock)
            let item = try #require(headshots.first)
            for (variant, width, height) in [("square", 40, 40), ("portrait", 40, 50), ("thumbnail", 40, 50)] {
                let response = try await Self.get(client.browser, try #require(item.links[variant]))
                #expect(response.status == .ok && response.headers.contentType == .jpeg)
                let size = try #require(Self.jpegSize(Array(response.body.readableBytesView)))
                #expect(size.width == width && size.height == height, "\(variant): \(size)")
            }
            #expect(try await DownloadEvent.query(on: app.db).count() == 0, "viewing is not downloading")
            // The gallery labels each download with the size the file really has (these are 40 × 50).
            let gallery = try await client.browser.request(.GET, "/orders/\(try await orderIDString(headshots, app))/gallery").body.string
            #expect(gallery.contains("Portrait 40 × 50") && gallery.contains("Square 40 px") && gallery.contains("Full size 40 × 50"))
            #expect(!gallery.contains("1080 × 1350"), "no label promises a size the file does not have")
            #expect(DownloadVariant.portrait.label(width: 1600, height: 2000) == "Portrait 1080 × 1350")
            #expect(DownloadVariant.square.label(width: 1600, height: 2000) == "Square 800 px")
            #expect(DownloadVariant.portrait.label(width: 616, height: 770) == "Portrait 616 × 770")
        }
    }

    private func orderIDString(_ headshots: [HeadshotDTO], _ app: Application) async throws -> String {
        let first = try #require(headshots.first)
        let asset = try #require(try await GeneratedAsset.find(UUID(uuidString: first.id), on: app.db))
        return asset.$order.id.uuidString.lowercased()
    }

    @Test func aZipOfTheFavouritesHoldsExactlyThoseFilesByteForByte() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, headshots) = try await Self.completedOrder(app, clock)
            let order = orderID.uuidString.lowercased()
            let favourites = Array(headshots.prefix(2))
            for item in favourites {
                let marked = try await client.browser.request(.PUT, "/api/v1/orders/\(order)/headshots/\(item.id)/favourite", json: ["favourite": true], headers: client.auth)
                #expect(marked.status == .ok && marked.body.string.contains(#""favourite":true"#), "\(marked.body.string)")
            }
            let created = try await client.browser.request(.POST, "/api/v1/orders/\(order)/bundles", json: ["selection": "favourites"], headers: client.auth)
            #expect(created.status == .created)
            let url = try Browser.extract(#""url":"([^"]+)""#, from: created.body.string).replacingOccurrences(of: "\\/", with: "/")
            let bundle = try await Self.get(client.browser, url + "&dl=1")
            #expect(bundle.status == .ok && bundle.headers.first(name: .contentType) == "application/zip")
            #expect(bundle.headers.first(name: .cacheControl) == "private, no-store")

            // unzip (Info-ZIP) checks every CRC and lists exactly the two favourites, each the same bytes as its single download.
            let file = NSTemporaryDirectory() + "bundle-\(UUID().uuidString).zip"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try Data(bundle.body.readableBytesView).write(to: URL(fileURLWithPath: file))
            #expect(try Shell.run("unzip", ["-tq", file]).status == 0)
            let names = try Shell.run("unzip", ["-Z1", file]).output.split(separator: "\n").map(String.init)
            let expected = favourites.map { "headshot-\($0.preset)-\($0.number < 10 ? "0" : "")\($0.number).jpg" }
            #expect(names.sorted() == expected.sorted(), "\(names)")
            for (item, name) in zip(favourites, expected) {
                let single = try await Self.get(client.browser, try #require(item.links["full"]) + "&dl=1")
                #expect(Array(try Shell.run("unzip", ["-p", file, name]).data) == Array(single.body.readableBytesView), "\(name) differs")
            }
            #expect(try await DownloadEvent.query(on: app.db).filter(\.$kind == "zip").count() == 1)
            // The same link for another user, and a tampered selection, are refused.
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await Self.get(stranger.browser, url).status == .forbidden)
            #expect(try await Self.get(client.browser, url.replacingOccurrences(of: "/favourites.zip", with: "/all.zip")).status == .forbidden)
        }
    }

    @Test func theGalleryPageMarksFavouritesAndFiltersThem() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, headshots) = try await Self.completedOrder(app, clock)
            let gallery = "/orders/\(orderID.uuidString.lowercased())/gallery"
            let item = try #require(headshots.last)
            let marked = try await client.browser.submit(gallery + "/\(item.id)/favourite", ["favourite": "1"])
            #expect(marked.status == .seeOther)
            let page = try await client.browser.request(.GET, gallery).body.string
            #expect(page.contains("Favourites (1)") && page.contains(#"id="zip-favourites""#) && page.contains(#"aria-pressed="true""#))
            let filtered = try await client.browser.request(.GET, gallery + "?preset=favourites").body.string
            #expect(filtered.components(separatedBy: #"class="headshot""#).count - 1 == 1 && filtered.contains("headshot-\(item.id)"))
            // Another user cannot mark it: not found.
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.submit(gallery + "/\(item.id)/favourite", ["favourite": "0"]).status == .notFound)
        }
    }

    @Test func aShareLinkWorksSignedOutUntilItIsRevokedOrExpires() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, headshots) = try await Self.completedOrder(app, clock)
            let order = orderID.uuidString.lowercased()
            let item = try #require(headshots.first)
            // Created on the preview page (a form), listed there with a revoke button.
            let preview = "/orders/\(order)/gallery/\(item.id)/preview"
            #expect(try await client.browser.submit("/orders/\(order)/gallery/\(item.id)/share", ["days": "1"]).status == .seeOther)
            let page = try await client.browser.request(.GET, preview).body.string
            let pageLink = try Browser.extract(#"value="http://localhost:8080(/shared/[^"]+)""#, from: page)
                .replacingOccurrences(of: "&amp;", with: "&")
            let anyone = Browser(app)
            let opened = try await anyone.request(.GET, pageLink)
            #expect(opened.status == .ok && opened.headers.contentType == .jpeg && opened.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await anyone.request(.GET, pageLink.replacingOccurrences(of: "sig=", with: "sig=x")).status == .forbidden)

            // Through the API: created for 7 days, revoked at once.
            let created = try await client.browser.request(.POST, "/api/v1/orders/\(order)/headshots/\(item.id)/shares", json: ["days": 7], headers: client.auth)
            #expect(created.status == .created)
            let url = try Browser.extract(#""url":"http:\\/\\/localhost:8080([^"]+)""#, from: created.body.string).replacingOccurrences(of: "\\/", with: "/")
            let shareID = try Browser.extract(#""id":"([0-9a-f-]+)""#, from: created.body.string)
            #expect(try await anyone.request(.GET, url).status == .ok)
            #expect(try await client.browser.request(.DELETE, "/api/v1/orders/\(order)/shares/\(shareID)", headers: client.auth).status == .noContent)
            #expect(try await anyone.request(.GET, url).status == .gone, "a revoked link stops at once")
            #expect(try await client.browser.request(.POST, "/api/v1/orders/\(order)/headshots/\(item.id)/shares", json: ["days": 30], headers: client.auth).status == .unprocessableEntity)

            // The 1-day link expires.
            clock.advance(by: 24 * 3600 + 1)
            #expect(try await anyone.request(.GET, pageLink).status == .gone)
        }
    }

    /// Width and height from a JPEG's baseline or progressive frame header (SOF0/SOF2).
    static func jpegSize(_ jpeg: [UInt8]) -> (width: Int, height: Int)? {
        var offset = 2
        while offset + 9 < jpeg.count, jpeg[offset] == 0xFF {
            let marker = jpeg[offset + 1], length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            if marker == 0xC0 || marker == 0xC2 {
                return (Int(jpeg[offset + 7]) << 8 | Int(jpeg[offset + 8]), Int(jpeg[offset + 5]) << 8 | Int(jpeg[offset + 6]))
            }
            offset += 2 + length
        }
        return nil
    }

    @Test func noLinkOutlivesSevenDays() {
        let links = DownloadLinks(secrets: Secrets(SymmetricKeyBytes([UInt8](repeating: 3, count: 32))))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let grant = links.grant(.headshot(UUID(), .full), user: UUID(), now: now, lifetime: 30 * 24 * 3600)
        #expect(grant.expires == Int(now.timeIntervalSince1970) + 7 * 24 * 3600)
    }
}
