import BlobStorage
import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// "Download my data": the ZIP holds the selfies, the headshots and a JSON of the account; its link
/// works for the owner for a day; the copy is gone after a week, and with the account.
@Suite("Data export")
struct DataExportTests {
    struct Body: Decodable {
        let id: UUID
        let status: String
        let download_url: String?
    }

    @Test func theExportHoldsEverythingItsLinkServesOnlyTheOwnerForADayAndTheCopyIsDeletedAfterAWeek() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 3, headshots: 4)

            let asked = try await client.api(.POST, "/data-exports")
            #expect(asked.status == .accepted, "\(asked.body.string)")
            let created = try JSONDecoder().decode(Body.self, from: Data(asked.body.readableBytesView))
            #expect(created.status == "requested" && created.download_url == nil)
            let again = try JSONDecoder().decode(Body.self, from: Data(try await client.api(.POST, "/data-exports").body.readableBytesView))
            #expect(again.id == created.id, "asking again while one is prepared answers that one")

            #expect(try await DataExportWorker(services: app.testServices, logger: app.logger).runDue() == 1)
            let shown = try JSONDecoder().decode(Body.self, from: Data(try await client.api(.GET, "/data-exports/\(created.id.uuidString.lowercased())").body.readableBytesView))
            #expect(shown.status == "ready" && shown.download_url != nil)

            // The emailed link, opened by the owner: the ZIP with the selfies, the headshots and data.json.
            let mail = try #require(try await Fixtures.mail(app, to: user.email).last { $0.subject == "Your data from Headshot Studio is ready" })
            let link = try Browser.extract(#"http://localhost:8080(/downloads/exports/[^\s]+)"#, from: mail.textBody)
            let download = try await client.browser.request(.GET, link)
            #expect(download.status == .ok && download.headers.contentType?.subType == "zip")
            let file = NSTemporaryDirectory() + "export-\(UUID().uuidString).zip"
            try Data(download.body.readableBytesView).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            #expect(try Shell.run("unzip", ["-tq", file]).status == 0)
            let names = try Shell.run("unzip", ["-Z1", file]).output.split(separator: "\n").map(String.init)
            #expect(names.contains("data.json") && names.contains("README.txt"))
            #expect(names.filter { $0.contains("/selfies/") }.count == 3 && names.filter { $0.contains("/headshots/") }.count == 4, "\(names)")
            let selfie = try #require(names.first { $0.contains("/selfies/") })
            let upload = try #require(try await UploadAsset.query(on: app.db).filter(\.$order.$id == order).sort(\.$createdAt).first())
            #expect(Array(try Shell.run("unzip", ["-p", file, selfie]).data) == (try await app.blobStore.read(PhotoKeys.photo(order: order, upload: upload.requireID()))))
            let json = try JSONSerialization.jsonObject(with: try Shell.run("unzip", ["-p", file, "data.json"]).data) as? [String: Any]
            #expect((json?["account"] as? [String: Any])?["email"] as? String == user.email)
            #expect((json?["orders"] as? [[String: Any]])?.first?["id"] as? String == order.uuidString.lowercased())
            #expect(!((json?["activity"] as? [Any]) ?? []).isEmpty && json?["notifications"] != nil && json?["payments"] != nil)

            // Nobody else, and nobody signed out; after 24 hours the link has expired.
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await stranger.browser.request(.GET, link).status == .forbidden)
            #expect(try await Browser(app).request(.GET, link).status == .unauthorized)
            clock.advance(by: 24 * 3600 + 60)
            try await Fixtures.logIn(client.browser, email: user.email)  // the day-old session has ended
            let late = try await client.browser.request(.GET, link)
            #expect(late.status == .gone, "\(late.status) \(late.body.string.prefix(300))")

            // After 7 days retention deletes the copy with its key.
            clock.advance(by: 6 * 24 * 3600)
            let outcome = try await Retention(db: app.db, store: app.blobStore, policy: app.config.retention).run(at: clock.now())
            #expect(outcome.exports == 1)
            #expect(try await app.blobStore.list(prefix: DataExport.scope(created.id) + "/").isEmpty)
            #expect(try await DataExport.find(created.id, on: app.db)?.status == .expired)
            #expect(try await StorageAudit(db: app.db, store: app.blobStore).run().orphans.isEmpty)
        }
    }

    @Test func anAccountDeletionTakesItsExportsWithIt() async throws {
        try await withTestApp { app, clock in
            let (client, user) = try await PhotoClient.make(app)
            _ = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 2, headshots: 2)
            #expect(try await client.api(.POST, "/data-exports").status == .accepted)
            #expect(try await DataExportWorker(services: app.testServices, logger: app.logger).runDue() == 1)
            let export = try #require(try await DataExport.query(on: app.db).first())
            #expect(try await StorageAudit(db: app.db, store: app.blobStore).run().orphans.isEmpty, "a ready export is not an orphan")

            let created = try await DeletionTests.create(client, ["scope": "account", "password": Fixtures.password])
            #expect(try await DeletionTests.worker(app).runDue() == 1)
            #expect(try await DataExport.query(on: app.db).count() == 0)
            #expect(try await app.blobStore.list(prefix: DataExport.scope(try export.requireID()) + "/").isEmpty)
            let (_, receipt) = try await DeletionTests.receipt(app, created.receipt_id, secret: try #require(created.receipt_secret))
            #expect(receipt?.blobs["exports"]?.count == 1 && receipt?.records["data_exports"] == 1)
        }
    }

    /// Asks for an export, prepares it, and returns it with its emailed link.
    static func readyExport(_ app: Application, _ client: PhotoClient, email: String) async throws -> (UUID, String) {
        let asked = try await client.api(.POST, "/data-exports")
        #expect(asked.status == .accepted, "\(asked.body.string)")
        let created = try JSONDecoder().decode(Body.self, from: Data(asked.body.readableBytesView))
        #expect(try await DataExportWorker(services: app.testServices, logger: app.logger).runDue() == 1)
        let mail = try #require(try await Fixtures.mail(app, to: email).last { $0.subject == "Your data from Headshot Studio is ready" })
        return (created.id, try Browser.extract(#"http://localhost:8080(/downloads/exports/[^\s]+)"#, from: mail.textBody))
    }

    /// Exports are copies: one made before a refund, and one made before an order's deletion, stop
    /// being served and lose their files with their keys; the deletion's receipt counts them.
    @Test func exportsMadeBeforeARefundOrAnOrderDeletionAreWithdrawnAndTheReceiptCountsThem() async throws {
        try await withTestApp { app, clock in
            let (client, refunded, _) = try await DeliveryRuleTests.completedPaidOrder(app)
            let user = try #require(try await Order.find(UUID(uuidString: refunded), on: app.db)?.$user.get(on: app.db))
            let deleted = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 2, headshots: 2)

            let (first, firstLink) = try await Self.readyExport(app, client, email: user.email)
            #expect(try await app.blobStore.list(prefix: DataExport.scope(first) + "/").count == 1)
            #expect(try await DeliveryRuleTests.askForRefund(client, refunded) == "refunded")
            let afterRefund = try await client.browser.request(.GET, firstLink)
            #expect(afterRefund.status == .gone && afterRefund.body.string.contains("deleted or refunded"), "\(afterRefund.status)")
            #expect(try await DataExport.find(first, on: app.db)?.status == .withdrawn)
            #expect(try await app.blobStore.list(prefix: DataExport.scope(first) + "/").isEmpty, "its ZIP and key are gone")
            let account = try await client.browser.request(.GET, "/account").body.string
            #expect(account.contains("data in it was deleted or refunded since"))

            let (second, secondLink) = try await Self.readyExport(app, client, email: user.email)
            let request = try await DeletionTests.create(client, ["scope": "order", "order_id": deleted.uuidString.lowercased(), "password": Fixtures.password])
            #expect(try await DeletionTests.worker(app).runDue() == 1)
            #expect(try await client.browser.request(.GET, secondLink).status == .gone)
            #expect(try await DataExport.find(second, on: app.db)?.status == .withdrawn)
            #expect(try await app.blobStore.list(prefix: DataExport.scope(second) + "/").isEmpty)
            let (code, body) = try await DeletionTests.receipt(app, request.receipt_id, secret: try #require(request.receipt_secret))
            let receipt = try #require(body, "receipt answered \(code)")
            #expect(receipt.blobs["exports"]?.count == 1 && receipt.records["data_exports"] == 1, "\(receipt.blobs) \(receipt.records)")
        }
    }
}
