import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Support end to end in two Chromium windows: a customer reports "doesn't look like me" on a
/// headshot from the gallery; support sees the ticket with that headshot, replies and re-runs the
/// style in one click; the customer reads the reply and watches the new headshots arrive live.
@Suite("Support in Chromium", .enabled(if: WebDriverSetup.available, "needs chromium and chromium-driver (make test installs them)"))
struct SupportBrowserTests {
    @Test func aReportedHeadshotIsSeenBySupportAnsweredAndItsStyleRemadeWhileTheCustomerWatches() async throws {
        try await withServedTestApp { app, _, site, port in
            let (_, orderID, customer) = try await RerunTests.completedOrderAndOwner(app, credits: 1)
            let staff = try await Fixtures.user(app, role: .support)
            let order = orderID.uuidString.lowercased()
            let reported = try #require(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == orderID).sort(\.$sequence).first())
            let reportedID = try reported.requireID().uuidString.lowercased()
            let old = Set(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == orderID).all().compactMap { $0.id?.uuidString.lowercased() })

            try await WebDriver.session(app, port: port, failureShot: "support-customer-failure.png") { driver in
                // The customer reports the headshot from the gallery: the form arrives with it attached.
                try await driver.logIn(site: site, email: customer.email)
                try await driver.open(site + "/orders/\(order)/gallery")
                try await driver.click(try await driver.find("#headshot-\(reportedID) a.report-link"))
                try await driver.waitUntil("the ticket form with the headshot") { try await driver.findAll("#attach-headshots input[checked]").count == 1 }
                try await driver.click(try await driver.find("#category option[value=doesnt_look_like_me]"))
                try await driver.type(try await driver.find("#message"), " the face is rounder than mine.")
                try await driver.click(try await driver.find("#send-ticket"))
                try await driver.waitUntil("the request's page") { try await driver.currentURL.contains("/support/") }
                let ticket = try #require(try await SupportTicket.query(on: app.db).first())
                let ticketID = try ticket.requireID().uuidString.lowercased()
                #expect(ticket.category == "doesnt_look_like_me")

                // Support, in a second window: the ticket with that headshot (loaded), a reply, a one-click re-run.
                let console = try await WebDriver(chromedriver: WebDriverSetup.chromedriver, chromium: WebDriverSetup.chromium)
                do {
                    try await console.logIn(site: site, email: staff.email)
                    try await console.open(site + "/admin/tickets")
                    try await console.click(try await console.find("#ticket-table a[href*='\(ticketID)']"))
                    try await console.waitUntil("the attached headshot, loaded") {
                        let images = try await console.findAll("#ticket-attachments img")
                        guard images.count == 1 else { return false }
                        return (try await console.property(images[0], "naturalWidth") as? Int ?? 0) > 0
                    }
                    #expect(try await console.text(try await console.find("#conversation")).contains("the face is rounder than mine"))
                    try await console.type(try await console.find("#message"), "Thank you for telling us. We are re-making that style for you now.")
                    try await console.click(try await console.find("#send-staff-reply"))
                    try await console.waitUntil("the reply sent") { try await console.currentURL.contains("notice=replied") }
                    try await console.click(try await console.find("#staff-rerun-style option[value=\(reported.preset)]"))
                    try await console.click(try await console.find("#staff-rerun"))
                    try await console.waitUntil("the re-run queued") { try await console.currentURL.contains("notice=rerun") }
                    try await console.screenshot(to: WebDriverSetup.artifact("support-console-ticket.png"))
                } catch {
                    try? await console.screenshot(to: WebDriverSetup.artifact("support-console-failure.png"))
                    await console.quit()
                    throw error
                }
                await console.quit()

                // The customer sees the reply, then the order page follows the re-run live.
                try await driver.open(site + "/support/\(ticketID)")
                try await driver.waitUntil("support's reply") {
                    try await driver.text(try await driver.find("#conversation")).contains("re-making that style")
                }
                try await driver.open(site + "/orders/\(order)")
                try await driver.waitUntil("the re-run under way") {
                    try await driver.text(try await driver.find("#order-progress-text")).hasPrefix("Re-making: 0 of 2")
                }
                let worker = Task { try await QueueWorker(app: app, generator: ProbeGenerator(perHeadshot: .milliseconds(800))).runOnce() }
                try await driver.waitUntil("a new headshot shown as it is made") {
                    let images = try await driver.findAll("#order-latest img")
                    for image in images {
                        let source = (try await driver.property(image, "src") as? String) ?? ""
                        if !old.contains(where: source.contains), (try await driver.property(image, "naturalWidth") as? Int ?? 0) > 0 { return true }
                    }
                    return false
                }
                try await driver.screenshot(to: WebDriverSetup.artifact("support-rerun-live.png"))
                #expect(try await worker.value)
                try await driver.waitUntil("the page reloaded once the re-run is done") {
                    !(try await driver.text(try await driver.find("#order-progress-text")).hasPrefix("Re-making"))
                }
                try await driver.open(site + "/orders/\(order)/gallery")
                try await driver.waitUntil("the re-made headshots beside the others") { try await driver.findAll(".badge.remade").count == 2 }
                #expect(try await driver.findAll(".gallery-grid li.headshot").count == 6)
            }
        }
    }
}
