import Fluent
import SQLKit
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The order's live status (event stream and JSON) and the notifications when it finishes.
@Suite("Live order status and notifications") struct LiveStatusTests {
    /// A signed-in customer with a paid, queued order of 40 headshots.
    static func customerWithQueuedOrder(_ app: Application, _ clock: ManualClock) async throws -> (Browser, User, GenerationJob) {
        let user = try await Fixtures.user(app)
        let browser = Browser(app)
        try await Fixtures.logIn(browser, email: user.email)
        let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
        return (browser, user, job)
    }

    @Test func theEventStreamFollowsTheOrderUntilItIsCompleted() async throws {
        try await withTestApp { app, clock in
            let (browser, _, job) = try await Self.customerWithQueuedOrder(app, clock)
            let port = try freeLoopbackPort()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            do {
                let socket = try RawSocket(port: port)
                let cookies = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                socket.send(Array("GET /orders/\(job.$order.id.uuidString.lowercased())/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookies)\r\nAccept: text/event-stream\r\n\r\n".utf8))
                // The stream is open and has said "queued" before any work starts.
                var (arrived, text) = await socket.received(until: #""status":"queued""#)
                #expect(arrived, "\(text.prefix(300))")
                #expect(text.contains("text/event-stream"))
                // 40 headshots at 100 ms each: the stream (polling every second) sees the work in progress.
                #expect(try await QueueWorker(app: app, generator: CountingGenerator(pause: .milliseconds(100))).runOnce())
                (arrived, text) = await socket.received(until: #""status":"completed""#, after: text)
                #expect(arrived)
                let states = text.components(separatedBy: "\n\n").filter { $0.contains("event: status") }
                    .compactMap { try? Browser.extract(#""status":"([a-z_]+)""#, from: $0) }
                #expect(states.first == "queued" && states.last == "completed" && states.contains("processing"), "\(states)")
                #expect(text.contains(#""done":40"#))
                socket.close()
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    @Test func aFinishedOrderNotifiesInTheAppAndByEmail() async throws {
        try await withTestApp { app, clock in
            let (browser, user, job) = try await Self.customerWithQueuedOrder(app, clock)
            #expect(!(try await browser.request(.GET, "/dashboard").body.string.contains("bell-count")))
            #expect(try await QueueWorker(app: app, generator: CountingGenerator()).runOnce())

            let dashboard = try await browser.request(.GET, "/dashboard")
            #expect(dashboard.body.string.contains(#"id="bell-count""#) && dashboard.body.string.contains("1 unread"))
            let mail = try #require(try await Fixtures.mail(app, to: user.email).last)
            let link = "http://localhost:8080/orders/\(job.$order.id.uuidString.lowercased())"
            #expect(mail.subject == "Your headshots are ready" && mail.textBody.contains(link))
            #expect(try await browser.request(.GET, URLComponents(string: link)!.path).status == .ok, "the emailed link opens the order")

            let list = try await browser.request(.GET, "/notifications")
            #expect(list.body.string.contains("Your headshots are ready"))
            let notification = try #require(try await Notification.query(on: app.db).first())
            let opened = try await browser.submit("/notifications/\(notification.id!.uuidString.lowercased())/read", [:])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == notification.link)
            #expect(!(try await browser.request(.GET, "/dashboard").body.string.contains("bell-count")))
        }
    }

    @Test func aFailedOrderTellsTheCustomerWhyAndAlertsAdmins() async throws {
        try await withTestApp { app, clock in
            let admin = try await Fixtures.user(app, role: .admin)
            let (_, user, job) = try await Self.customerWithQueuedOrder(app, clock)
            try await GenerationJob.query(on: app.db).set(\.$maxAttempts, to: 1).update()
            #expect(try await QueueWorker(app: app, generator: CountingGenerator(failFirst: 1, reason: "Too few photos show your face clearly.")).runOnce())
            #expect(try await Fixtures.order(of: job, app)?.status == .failed)
            let mail = try #require(try await Fixtures.mail(app, to: user.email).last)
            #expect(mail.subject == "We couldn't finish your headshots" && mail.textBody.contains("Too few photos show your face clearly."))
            #expect(try await Fixtures.mail(app, to: admin.email).last?.subject.hasPrefix("Order failed") == true)
        }
    }

    @Test func theStatusAPIGivesPositionAndAnETABandFromMeasuredJobs() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            // One job measured: claimed, then finished 120 s later.
            let queue = JobQueue(db: app.db)
            try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let first = try #require(try await queue.claim(worker: "w", now: clock.now()))
            clock.advance(by: 120)
            try await queue.complete(first, now: clock.now())
            let waiting = try await Fixtures.queuedJob(app, user: user, priority: 0, runAt: clock.now())
            try await Fixtures.queuedJob(app, user: user, priority: 10, runAt: clock.now())  // a Professional order ahead
            let order = try #require(try await Fixtures.order(of: waiting, app))
            let progress = try await OrderProgress.load(order, on: app.db)
            #expect(progress.status == "queued" && progress.queuePosition == 1 && progress.total == 40)
            // One job ahead (120 s) plus this one (120 s) = 4 minutes, shown as 3–6.
            #expect(progress.etaMinMinutes == 3 && progress.etaMaxMinutes == 6)
            #expect(progress.etaText == "Ready in about 3–6 minutes (measured over the last order).")
            #expect(OrderProgress.etaSentence(low: 1, high: 1, measuredOver: 4) == "Ready in about 1 minute (measured over the last 4 orders).")
            #expect(progress.latestHeadshots.isEmpty)
        }
    }

    // 8. A stream lives only while someone listens, one user holds a few at most, a draft's ends at
    //    once, and what the ETA reads is indexed.
    @Test func liveStatusStreamsEndWithTheirClientAndAreCappedPerUser() async throws {
        try await withTestApp { app, clock in
            let (browser, user, job) = try await Self.customerWithQueuedOrder(app, clock)
            let port = try freeLoopbackPort()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            do {
                let cookies = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                func open(_ order: UUID) async throws -> (RawSocket, String) {
                    let socket = try RawSocket(port: port)
                    _ = socket.send(Array("GET /orders/\(order.uuidString.lowercased())/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookies)\r\nAccept: text/event-stream\r\n\r\n".utf8))
                    return (socket, await socket.received(until: "event: status").text)
                }
                var sockets: [RawSocket] = []
                for _ in 0..<OrderStatusController.perUser {
                    let (socket, text) = try await open(job.$order.id)
                    #expect(text.contains("event: status"))
                    sockets.append(socket)
                }
                #expect(app.appMetrics.exposition().contains("live_status_streams \(OrderStatusController.perUser)"))
                let over = try await browser.request(.GET, "/orders/\(job.$order.id.uuidString.lowercased())/events")
                #expect(over.status == .tooManyRequests, "one user holds at most \(OrderStatusController.perUser) streams")

                for socket in sockets { socket.close() }
                #expect(await eventually(10) { app.appMetrics.exposition().contains("live_status_streams 0") },
                        "streams whose clients left stop polling")

                // A draft cannot change by itself: one event, then the stream ends.
                let draft = Order(userID: try user.requireID())
                try await draft.create(on: app.db)
                let (socket, first) = try await open(try draft.requireID())
                #expect(first.contains(#""status":"draft""#))
                let (ended, text) = await socket.received(until: "0\r\n\r\n", after: first)
                #expect(ended, "the stream ended: \(text.suffix(80))")
                socket.close()
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()

            guard let sql = app.db as? any SQLDatabase else { return }
            let indexQuery: SQLQueryString = TestDatabase.postgresAdminURL == nil
                ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'idx_audit_events_action_state'"
                : "SELECT indexname AS name FROM pg_indexes WHERE indexname = 'idx_audit_events_action_state'"
            #expect(try await sql.raw(indexQuery).all().count == 1, "the ETA's query of the audit trail has its index")
        }
    }
}

/// The stream behind the live pages outlives a look that fails for a moment (the database busy or
/// restarting): it used to end at the first error, and the page lost its live status until the
/// browser reconnected.
@Suite struct LiveEventsTests {
    final class Looks: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let failing: Set<Int>
        init(failing: Set<Int>) { self.failing = failing }
        var made: Int { lock.withLock { count } }
        func next() throws -> (state: Int, final: Bool) {
            let look = lock.withLock { count += 1; return count }
            if failing.contains(look) { throw Abort(.serviceUnavailable, reason: "database busy") }
            return (look, look >= 4)
        }
    }

    /// The stream's body (or how it failed) when the looks numbered in `failing` throw (look 4 is
    /// final), and how many looks it made.
    static func stream(failing: Set<Int>, _ check: (Result<String, any Error>, Int) -> Void) async throws {
        try await withTestApp { app, _ in
            let looks = Looks(failing: failing)
            app.get("live-test") { req in
                LiveEvents.response(event: "status", poll: .milliseconds(10), lifetime: 30, logger: req.logger, onEnd: {}) { try looks.next() }
            }
            let request = TestingHTTPRequest(method: .GET, url: .init(path: "/live-test"), headers: [:], body: ByteBuffer())
            let body: Result<String, any Error>
            do { body = .success(try await app.testing().performTest(request: request).body.string) } catch { body = .failure(error) }
            check(body, looks.made)
        }
    }

    @Test func aLookThatFailsForAMomentIsTriedAgainAndTheStreamGoesOnToTheFinalState() async throws {
        try await Self.stream(failing: [2]) { body, looks in
            let text = (try? body.get()) ?? ""
            #expect(text.contains("data: 1\n") && text.contains("data: 3\n") && text.contains("data: 4\n"), "\(body)")
            #expect(looks == 4)
        }
    }

    @Test func threeLooksFailingInARowEndTheStreamWithTheError() async throws {
        try await Self.stream(failing: [2, 3, 4]) { body, looks in
            #expect(throws: Abort.self) { try body.get() }
            #expect(looks == 4, "no look after the third failure in a row")
        }
    }
}
