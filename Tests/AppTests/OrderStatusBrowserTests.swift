import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The order page in Chromium while a worker makes the headshots: the person watches the state go
/// queued → processing → completed without touching the page, sees the bell count rise, and the
/// completion email reaches the SMTP test server with a link that opens the finished order.
@Suite("Live order page in Chromium", .enabled(if: WebDriverSetup.available && TestSMTP.available, "needs chromium, chromium-driver and the SMTP test server (make test)"))
struct OrderStatusBrowserTests {
    @Test func aWatchedOrderGoesLiveFromQueuedToCompletedAndTheEmailLinkOpensIt() async throws {
        try await withServedTestApp(services: TestSMTP.use) { app, clock, site, port in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let orderPath = "/orders/" + job.$order.id.uuidString.lowercased()

            try await WebDriver.session(app, port: port, failureShot: "order-status-failure.png") { driver in
                try await driver.logIn(site: site, email: user.email)
                try await driver.open(site + orderPath)
                let state = try await driver.find("#order-state")
                #expect(try await driver.text(state) == "In the queue")
                #expect(try await driver.findAll("#bell-count").isEmpty, "no unread notifications yet")

                // 40 headshots at 100 ms: the page follows along on its own.
                let worker = Task { try await QueueWorker(app: app, generator: CountingGenerator(pause: .milliseconds(100))).runOnce() }
                var seen: [String] = []
                var progressSeen: Set<Int> = []
                try await driver.waitUntil("the page to show the finished order", seconds: 60) {
                    // The page reloads itself when the order finishes; elements are looked up afresh each time.
                    guard let element = try? await driver.find("#order-state"), let label = try? await driver.text(element) else { return false }
                    if seen.last != label { seen.append(label) }
                    if label == "Being made", let bar = try? await driver.find("#order-progress"),
                       let value = try? await driver.property(bar, "value") as? Double {
                        progressSeen.insert(Int(value))
                    }
                    return label == "Ready"
                }
                #expect(try await worker.value)
                #expect(seen.first == "In the queue" && seen.contains("Being made") && seen.last == "Ready", "\(seen)")
                #expect(progressSeen.contains { (1..<40).contains($0) }, "the progress bar moved while the work ran (saw \(progressSeen.sorted()))")
                let bell = try await driver.find("#bell-count")
                #expect(try await driver.text(bell) == "1")
                try await driver.screenshot(to: WebDriverSetup.artifact("order-completed.png"))

                // The completion email, through real SMTP, links to the order.
                await app.mailQueue.drain()
                let mail = try await TestSMTP.received(subject: "Your headshots are ready", to: user.email)
                let text = (mail["text"] as? String) ?? ""
                let link = try Browser.extract(#"(http://127\.0\.0\.1:\d+/orders/[0-9a-f-]+)"#, from: text)
                #expect(link == site + orderPath)
                try await driver.open(site + "/dashboard")
                try await driver.open(link)
                try await driver.waitUntil("the emailed link to open the order") {
                    try await driver.text(try await driver.find("#order-state")) == "Ready"
                }
            }
        }
    }
}
