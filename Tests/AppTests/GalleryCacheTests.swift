import Fluent
import Foundation
import SiteRoutes
import SQLKit
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The gallery's listing is built once and served again from `GalleryCache` while the order's headshots
/// are unchanged: every change to them, by any writer (SQL written straight to the database here, as
/// another process would), is in the next listing, and a served listing's links always last their full
/// lifetime.
@Suite("Gallery cache") struct GalleryCacheTests {
    static func list(_ client: PhotoClient, _ order: UUID) async throws -> (body: String, headshots: [HeadshotDTO]) {
        let response = try await client.browser.request(.GET, "/api/v1/orders/\(order.lowercasedString)/headshots", headers: client.auth)
        #expect(response.status == .ok && response.headers.contentType == .json, "\(response.body.string)")
        return (response.body.string, try JSONDecoder().decode(DownloadLinkTests.ListBody.self, from: Data(response.body.readableBytesView)).headshots)
    }

    @Test func everyChangeToTheHeadshotsReachesTheNextListingWhoeverWritesIt() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, first) = try await DownloadLinkTests.completedOrder(app, clock)
            let served = try await Self.list(client, orderID)
            #expect(served.headshots.map(\.id) == first.map(\.id))
            clock.advance(by: 5)
            #expect(try await Self.list(client, orderID).body == served.body, "unchanged headshots: the same listing, links and all")

            let sql = try app.db.sql()
            let target = try #require(first.first?.id)
            try await sql.raw("UPDATE generated_assets SET favourite = \(bind: true) WHERE id = \(bind: UUID(uuidString: target)!)").run()
            let favoured = try await Self.list(client, orderID)
            #expect(favoured.headshots.first { $0.id == target }?.favourite == true, "a favourite written by another process shows")

            let gone = try #require(first.last?.id)
            try await sql.raw("UPDATE generated_assets SET status = 'deleted' WHERE id = \(bind: UUID(uuidString: gone)!)").run()
            let after = try await Self.list(client, orderID)
            #expect(after.headshots.map(\.id) == first.dropLast().map(\.id), "a deleted headshot leaves the listing")

            // The page shows the same: two headshots, the favourite marked.
            let page = try await client.browser.request(.GET, "/orders/\(orderID.lowercasedString)/gallery")
            #expect(page.status == .ok && page.body.string.contains("2 headshots") && !page.body.string.contains(gone))

            // A refund (the order's status and entitlement) ends the listing at once.
            try await Entitlement.query(on: app.db).filter(\.$order.$id == orderID).set(\.$status, to: .revoked).update()
            let refused = try await client.browser.request(.GET, "/api/v1/orders/\(orderID.lowercasedString)/headshots", headers: client.auth)
            #expect(refused.status == .gone)
        }
    }

    @Test func aServedListingsLinksLastTheirFullLifetime() async throws {
        try await withTestApp { app, clock in
            let (client, orderID, _) = try await DownloadLinkTests.completedOrder(app, clock)
            let signed = try await Self.list(client, orderID)
            for elapsed in [GalleryCache.reuseFor - 1, GalleryCache.reuseFor + 1] {
                clock.advance(by: elapsed == GalleryCache.reuseFor - 1 ? elapsed : 2)
                let again = try await Self.list(client, orderID)
                #expect((again.body == signed.body) == (elapsed < GalleryCache.reuseFor), "signed anew once served for \(GalleryCache.reuseFor) s")
                let expiry = try Browser.extract(#""links_expire_at":"([^"]+)""#, from: again.body)
                let expires = try #require(ISO8601DateFormatter().date(from: expiry))
                #expect(expires.timeIntervalSince(clock.now()) >= DownloadLinks.lifetime, "served at +\(elapsed) s, expiring \(expiry)")
                let link = try #require(again.headshots.first?.links["full"])
                let exp = try #require(Int(try Browser.extract(#"exp=(\d+)"#, from: link)))
                #expect(TimeInterval(exp) == expires.timeIntervalSince1970.rounded(.down))
            }
        }
    }
}
