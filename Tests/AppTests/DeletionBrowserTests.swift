import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Deleting an order in Chromium: from the order page, the person confirms with their password,
/// watches the request's status change on its own, sees the receipt with its timestamp, and the
/// confirmation email reaches the SMTP test server. A Professional-sized order: 20 selfies, 100 headshots.
@Suite("Deletion page in Chromium", .enabled(if: WebDriverSetup.available && TestSMTP.available, "needs chromium, chromium-driver and the SMTP test server (make test)"))
struct DeletionBrowserTests {
    @Test func aPersonDeletesAnOrderWatchesItFinishAndGetsTheReceiptAndTheEmail() async throws {
        try await withServedTestApp(services: TestSMTP.use) { app, clock, site, port in
            let user = try await Fixtures.user(app)
            let order = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 20, headshots: 100)
            let orderPath = "/orders/" + order.uuidString.lowercased()

            try await WebDriver.session(app, port: port, failureShot: "deletion-failure.png") { driver in
                try await driver.logIn(site: site, email: user.email)
                try await driver.open(site + orderPath)
                try await driver.click(try await driver.find("#delete-order-link"))
                try await driver.waitUntil("the confirmation page") { (try? await driver.find("#confirm-deletion")) != nil }
                try await driver.type(try await driver.find("#password"), Fixtures.password)
                try await driver.click(try await driver.find("#confirm-deletion"))
                try await driver.waitUntil("the status page") { (try? await driver.find("#deletion-state")) != nil }
                #expect(try await driver.text(try await driver.find("#deletion-state")) == "Waiting to start")
                #expect(try await driver.text(try await driver.find("#deletion-promise")).contains("under a minute"))

                // The worker runs while the page stays open; the page follows on its own and shows the receipt.
                let worker = Task {
                    try await Task.sleep(for: .milliseconds(800))
                    return try await DeletionTests.worker(app).runDue()
                }
                var seen: [String] = []
                try await driver.waitUntil("the receipt", seconds: 60) {
                    guard let state = try? await driver.find("#deletion-state"), let label = try? await driver.text(state) else { return false }
                    if seen.last != label { seen.append(label) }
                    guard label == "Deleted" else { return false }
                    return (try? await driver.find("#deletion-completed-at")) != nil
                }
                #expect(try await worker.value == 1)
                #expect(seen.first == "Waiting to start" && seen.last == "Deleted", "\(seen)")
                let request = try #require(try await DeletionRequest.query(on: app.db).filter(\.$orderID == order).first())
                let completed = try #require(request.completedAt)
                #expect(try await driver.text(try await driver.find("#deletion-completed-at")) == DateText.short(completed))
                #expect(try await driver.text(try await driver.find("#deletion-receipt")).contains("Headshots"))
                try await driver.screenshot(to: WebDriverSetup.artifact("deletion-receipt.png"))
                #expect(try await app.blobStore.list(prefix: PhotoKeys.scope(order) + "/").isEmpty)

                // The confirmation, through real SMTP, names the receipt and links to this page.
                await app.mailQueue.drain()
                let receipt = try #require(request.receiptID).uuidString.lowercased()
                let mail = try await TestSMTP.received(subject: "Your data was deleted (receipt \(receipt.prefix(8)))", to: user.email)
                let text = (mail["text"] as? String) ?? ""
                #expect(text.contains(receipt))
                #expect(text.contains(site + "/deletions/" + (try request.requireID()).uuidString.lowercased()))
                #expect(text.contains("headshots: 100 files"))
            }
        }
    }
}
