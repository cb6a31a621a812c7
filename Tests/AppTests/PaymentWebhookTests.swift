import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Exactly-once fulfilment from verified webhooks, and refusal of everything else.
@Suite("Payment webhooks") struct PaymentWebhookTests {
    static func counts(_ app: Application, _ order: Order) async throws -> (entitlements: Int, jobs: Int) {
        let id = try order.requireID()
        return (try await Entitlement.query(on: app.db).filter(\.$order.$id == id).count(),
                try await GenerationJob.query(on: app.db).filter(\.$order.$id == id).count())
    }

    @Test func aPaidCheckoutEventQueuesTheOrderAndGrantsItOnce() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let order = try await Fixtures.awaitingOrder(app, user: user)
            let event = try PaymentFixtures.event(order: order)
            let first = try await PaymentFixtures.deliver(app, event)
            #expect(first.status == .ok && first.body.string.contains("fulfilled"))
            let again = try await PaymentFixtures.deliver(app, event)
            #expect(again.status == .ok && again.body.string.contains("duplicate"))

            let stored = try #require(try await Order.find(order.id, on: app.db))
            #expect(stored.status == .queued && stored.paymentReference != nil)
            #expect(try await Self.counts(app, order) == (1, 1))
            let job = try #require(try await GenerationJob.query(on: app.db).filter(\.$order.$id == order.requireID()).first())
            #expect(job.priority == 10 && job.progressTotal == 100 && job.status == .queued && job.payload == "corporate-grey,bright-white")
            let moves = try await AuditEvent.query(on: app.db).filter(\.$subjectID == order.requireID())
                .filter(\.$action == "order.status_changed").sort(\.$createdAt).all().map { "\($0.fromState ?? "")→\($0.toState ?? "")" }
            #expect(moves == ["awaiting_payment→paid", "paid→queued"])
        }
    }

    @Test func aThousandReplayedEventsFulfilEachPaidOrderExactlyOnce() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            var paid: [Order] = [], declined: [Order] = []
            for index in 0..<80 {
                paid.append(try await Fixtures.awaitingOrder(app, user: user, package: index % 2 == 0 ? "basic" : "professional"))
            }
            for _ in 0..<25 { declined.append(try await Fixtures.awaitingOrder(app, user: user)) }

            // Paid orders get a completed event, and half of them also async_payment_succeeded (as Stripe
            // sends for bank debits); declined ones get a pending completion and an async failure.
            var events: [[UInt8]] = []
            for (index, order) in paid.enumerated() {
                events.append(try PaymentFixtures.event(order: order))
                if index % 2 == 0 { events.append(try PaymentFixtures.event(type: "checkout.session.async_payment_succeeded", order: order)) }
            }
            for order in declined {
                events.append(try PaymentFixtures.event(order: order, paymentStatus: "unpaid"))
                events.append(try PaymentFixtures.event(type: "checkout.session.async_payment_failed", order: order, paymentStatus: "unpaid"))
            }
            var generator = ReplayGenerator(seed: 42)
            var deliveries = events.flatMap { event in Array(repeating: event, count: Int.random(in: 3...10, using: &generator)) }
            deliveries.shuffle(using: &generator)
            #expect(deliveries.count >= 1000)

            // Eight at a time, so duplicates of one event race each other.
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                var next = 0, collected: [UInt] = []
                for _ in 0..<8 where next < deliveries.count {
                    let payload = deliveries[next]; next += 1
                    group.addTask { try await PaymentFixtures.deliver(app, payload).status.code }
                }
                while let status = try await group.next() {
                    collected.append(status)
                    if next < deliveries.count {
                        let payload = deliveries[next]; next += 1
                        group.addTask { try await PaymentFixtures.deliver(app, payload).status.code }
                    }
                }
                return collected
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "non-200 answers: \(Dictionary(grouping: statuses.filter { $0 != 200 }, by: { $0 }).mapValues(\.count))")

            for order in paid {
                #expect(try await Self.counts(app, order) == (1, 1))
                #expect(try await Order.find(order.id, on: app.db)?.status == .queued)
            }
            for order in declined {
                #expect(try await Self.counts(app, order) == (0, 0))
                #expect(try await Order.find(order.id, on: app.db)?.status == .awaitingPayment)
            }
            #expect(try await PaymentEventRecord.query(on: app.db).count() == events.count)
        }
    }

    @Test func forgedStaleMismatchedAndUnknownEventsChangeNothingAndAreAuditedOrCounted() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let order = try await Fixtures.awaitingOrder(app, user: user)

            let forged = try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order), secret: "whsec_attacker")
            #expect(forged.status == .badRequest)
            let stale = try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order), signedAt: clock.now().addingTimeInterval(-301))
            #expect(stale.status == .badRequest)
            let cheap = try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order, amount: 100))
            #expect(cheap.status == .unprocessableEntity)
            let euro = try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order, currency: "EUR"))
            #expect(euro.status == .unprocessableEntity)
            let stranger = Order(userID: try user.requireID(), status: .awaitingPayment)
            stranger.id = UUID()
            stranger.checkoutReference = order.checkoutReference
            stranger.amountMinor = order.amountMinor
            stranger.currency = order.currency
            let unknown = try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: stranger))
            #expect(unknown.status == .notFound)
            let unsigned = try await app.testing().performTest(request: .init(method: .POST, url: .init(path: "/webhooks/sandbox"),
                headers: ["Content-Type": "application/json"], body: .init(bytes: try PaymentFixtures.event(order: order))))
            #expect(unsigned.status == .badRequest)

            #expect(try await Order.find(order.id, on: app.db)?.status == .awaitingPayment)
            #expect(try await Self.counts(app, order) == (0, 0))
            #expect(try await PaymentEventRecord.query(on: app.db).count() == 0)
            // Signed events that are refused are audited; unsigned, forged and stale ones (anyone can send
            // them) are only counted, so they cannot grow a table.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "payment.webhook_refused").count() == 3)
            #expect(try await AuditEvent.query(on: app.db).count() == 3)
            #expect(app.appMetrics.exposition().contains(#"payment_webhooks_rejected_total{gateway="sandbox"} 3"#))
        }
    }
}

/// Deterministic shuffling and repeat counts, so a failing replay can be reproduced.
struct ReplayGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}
