import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The deletion pages without a browser engine: confirming with the password, the status page and
/// receipt that stay reachable after the account (and its session) is gone, and opening a receipt
/// with its code.
@Suite("Deletion pages")
struct DeletionPagesTests {
    @Test func anAccountDeletedFromThePagesStillShowsItsReceiptToTheBrowserThatAskedAndToTheCodeOnly() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let order = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 2, headshots: 2)
            let browser = Browser(app)
            try await Fixtures.logIn(browser, email: user.email)

            // The account page links to the confirmation; the order page offers both order deletions.
            #expect(try await browser.request(.GET, "/account").body.string.contains("/deletions?scope=account"))
            let orderPage = try await browser.request(.GET, "/orders/\(order.uuidString.lowercased())").body.string
            #expect(orderPage.contains("delete-selfies-link") && orderPage.contains("delete-order-link"))
            let confirm = try await browser.request(.GET, "/deletions?scope=account")
            #expect(confirm.status == .ok && confirm.body.string.contains("Delete your account") && confirm.body.string.contains("under a minute"))

            // A wrong password: the page says so and nothing is requested.
            let wrong = try await browser.submit("/deletions", ["scope": "account", "password": "not it"])
            #expect(wrong.status == .forbidden && wrong.body.string.contains("That password is not right"))
            #expect(try await DeletionRequest.query(on: app.db).count() == 0)

            let created = try await browser.submit("/deletions", ["scope": "account", "password": Fixtures.password])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            #expect(browser.cookies[DeletionPagesController.cookieName] != nil)
            let waiting = try await browser.request(.GET, location)
            #expect(waiting.status == .ok && waiting.body.string.contains("Waiting to start") && waiting.body.string.contains("receipt-code"))

            #expect(try await DeletionTests.worker(app).runDue() == 1)
            #expect(try await User.find(user.requireID(), on: app.db) == nil)

            // Signed out now (the session went with the account), the same browser sees the receipt.
            let done = try await browser.request(.GET, location)
            #expect(done.status == .ok && done.body.string.contains("deletion-completed-at"), "\(done.status)")
            #expect(!done.body.string.contains(user.email))
            let json = try await browser.request(.GET, location + "/receipt.json")
            #expect(json.status == .ok && json.headers.contentType == .json && json.body.string.contains(#""scope" : "account""#))
            let events = try await browser.request(.GET, location + "/events")
            #expect(events.body.string.contains("event: status") && events.body.string.contains(#""status":"completed""#))

            // Another browser sees nothing; with the receipt id and code, anyone who has them can open it.
            let other = Browser(app)
            #expect(try await other.request(.GET, location).status == .notFound)
            let request = try #require(try await DeletionRequest.query(on: app.db).first())
            let code = try #require(browser.cookies[DeletionPagesController.cookieName]?.split(separator: ".", maxSplits: 1).last.map(String.init))
            let receiptID = try #require(request.receiptID).uuidString.lowercased()
            let opened = try await other.submit("/receipts", ["receipt_id": receiptID, "code": code])
            #expect(opened.status == .ok && opened.body.string.contains("deletion-receipt"))
            #expect(try await other.submit("/receipts", ["receipt_id": receiptID, "code": code + "x"]).status == .notFound)
        }
    }
}
