import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The KPI dashboard on a seeded history with known answers, through the console's API, page and
/// CSV, on SQLite and PostgreSQL alike.
@Suite("KPIs") struct KPITests {
    static let day: TimeInterval = 86_400

    /// A seeded order: created at `created`; `ready` photos; paid and completed after `made` seconds; its audit trail written at those times.
    @discardableResult
    static func order(_ app: Application, user: User, package: Package?, created: Date, ready: Bool = false, paid: Date? = nil,
                      made: Double? = nil, refunded: Bool = false) async throws -> Order {
        let order = Order(userID: try user.requireID(), status: .draft)
        try await order.create(on: app.db)
        let id = try order.requireID()
        func move(_ from: OrderStatus, _ to: OrderStatus, _ at: Date) async throws {
            try await AuditEvent(actor: .system(), action: "order.status_changed", subjectType: Order.auditSubject, subjectID: id,
                                 from: from.rawValue, to: to.rawValue, at: at).create(on: app.db)
        }
        if ready {
            try await AuditEvent(actor: .user(user.id), action: OrderPhotos.readyAction, subjectType: Order.auditSubject, subjectID: id,
                                 at: created.addingTimeInterval(600)).create(on: app.db)
        }
        var status = OrderStatus.draft
        if let paid, let package {
            order.$package.id = package.id
            order.rerunCredits = package.rerunCredits
            order.paymentReference = "pi_\(id.uuidString.prefix(8))"
            try await move(.draft, .awaitingPayment, paid.addingTimeInterval(-60))
            try await move(.awaitingPayment, .paid, paid)
            try await move(.paid, .queued, paid)
            status = .queued
            if let made {
                try await move(.queued, .processing, paid.addingTimeInterval(1))
                try await move(.processing, .completed, paid.addingTimeInterval(made))
                status = .completed
            }
            if refunded {
                try await move(status, .refunded, paid.addingTimeInterval((made ?? 0) + 3_600))
                status = .refunded
            }
        }
        order.status = status
        try await order.save(on: app.db)
        try await Order.query(on: app.db).filter(\.$id == id).set(\.$createdAt, to: created).update()
        return order
    }

    struct Row: Decodable {
        let week_start: String
        let package: String
        let figures: [String: Double?]
    }

    @Test func aSeededHistoryGivesTheKnownFiguresOverallAndByPackage() async throws {
        try await withTestApp { app, clock in
            let week = KPIs.weekStart(clock.now()), earlier = week.addingTimeInterval(-7 * Self.day)
            let basic = try #require(try await Package.query(on: app.db).filter(\.$code == "basic").first())
            let pro = try #require(try await Package.query(on: app.db).filter(\.$code == "professional").first())
            let customers = [try await Fixtures.user(app), try await Fixtures.user(app), try await Fixtures.user(app)]
            let t = week.addingTimeInterval(Self.day)

            // This week: 10 drafts, 6 reach a ready set, 4 of those are paid (2 Basic, 2 Professional) and
            // made in 100, 200, 400 and 1600 s. Customer 0 buys twice (a repeat within 30 days), 1 and 2 once.
            let made: [Double] = [100, 200, 400, 1600]
            var paid: [Order] = []
            for index in 0..<4 {
                paid.append(try await Self.order(app, user: customers[index == 3 ? 0 : index], package: index < 2 ? basic : pro, created: t,
                                                 ready: true, paid: t.addingTimeInterval(Double(3_600 * (index + 1))), made: made[index],
                                                 refunded: index == 2))
            }
            for _ in 0..<2 { try await Self.order(app, user: customers[1], package: nil, created: t, ready: true) }
            for _ in 0..<4 { try await Self.order(app, user: customers[2], package: nil, created: t) }
            // One of the four is downloaded; two tickets this week; two re-runs by customers and one granted by support.
            try await DownloadEvent(userID: customers[0].requireID(), orderID: try paid[0].requireID(), assetID: nil, kind: "zip", variant: "all",
                                    bytes: 10, at: t.addingTimeInterval(7_200)).create(on: app.db)
            for index in 0..<2 {
                let ticket = SupportTicket(userID: try customers[index].requireID(), orderID: try paid[index].requireID(), subject: "Help", body: "Something is wrong here.")
                try await ticket.create(on: app.db)
                try await SupportTicket.query(on: app.db).filter(\.$id == ticket.requireID()).set(\.$createdAt, to: t.addingTimeInterval(9_000)).update()
            }
            for (index, detail) in [(1, "style corporate-grey, 20 headshots; 0 credits left"), (3, "style bright-white, 20 headshots; 2 credits left"),
                                    (3, "style bright-white, 20 headshots; granted by support")] {
                let job = GenerationJob(orderID: try paid[index].requireID(), kind: GenerationJob.Kind.rerun, priority: 0, runAt: t, total: 20)
                job.status = .succeeded
                try await job.create(on: app.db)
                try await AuditEvent(actor: .user(customers[0].id), action: "rerun.started", subjectType: GenerationJob.auditSubject, subjectID: job.id,
                                     detail: detail, at: t.addingTimeInterval(20_000)).create(on: app.db)
            }
            // The week before: 25 Professional orders made in 60·k seconds (k = 1…25), for the percentiles.
            for k in 1...25 {
                try await Self.order(app, user: try await Fixtures.user(app), package: pro, created: earlier.addingTimeInterval(Self.day), ready: true,
                                     paid: earlier.addingTimeInterval(Self.day + Double(k * 60)), made: Double(60 * k))
            }

            let (support, _) = try await ConsoleTests.staff(app, role: .support)
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            let query = "from=\(day.string(from: earlier))&to=\(day.string(from: week.addingTimeInterval(6 * Self.day)))"
            let response = try await ConsoleTests.api(support, .GET, "/admin/kpis?" + query)
            #expect(response.status == .ok, "\(response.body.string)")
            let rows = try JSONDecoder().decode([Row].self, from: Data(response.body.readableBytesView))
            func figure(_ week: Date, _ package: String, _ name: KPIs.Figure) -> Double? {
                rows.first { $0.week_start == day.string(from: week) && $0.package == package }?.figures[name.rawValue] ?? nil
            }
            #expect(rows.count == 2 * 3, "two weeks × (all, basic, professional)")
            #expect(figure(week, "all", .uploadCompletion) == 0.6)
            #expect(abs((figure(week, "all", .uploadToPaid) ?? 0) - 4.0 / 6) < 1e-9, "66.7 %")
            #expect(figure(week, "all", .generationP50) == 200 && figure(week, "all", .generationP95) == 1600)
            #expect(figure(week, "all", .downloadCompletion) == 0.25)
            #expect(figure(week, "all", .ticketsPer100) == 50)
            #expect(figure(week, "all", .refundRate) == 0.25)
            #expect(figure(week, "all", .rerunUsage) == 2.0 / 8, "two re-runs by customers of 1 + 1 + 3 + 3 credits; support's grant not counted")
            #expect(abs((figure(week, "all", .repeatPurchase) ?? 0) - 1.0 / 3) < 1e-9, "one of three first-time buyers bought again")
            // By package.
            #expect(figure(week, "basic", .generationP50) == 100 && figure(week, "professional", .generationP95) == 1600)
            #expect(figure(week, "basic", .ticketsPer100) == 100 && figure(week, "professional", .ticketsPer100) == 0)
            #expect(figure(week, "professional", .refundRate) == 0.5 && figure(week, "basic", .refundRate) == 0)
            #expect(figure(week, "basic", .uploadCompletion) == nil, "drafts have no package yet")

            // P95 of the week before, directly from the same audit rows: nearest rank over the 25 paid → completed times.
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "order.status_changed").filter(\.$toState ~~ ["paid", "completed"]).all()
            let byOrder = Dictionary(grouping: events, by: { $0.subjectID })
            let durations = byOrder.values.compactMap { rows -> Double? in
                guard let paid = rows.first(where: { $0.toState == "paid" })?.createdAt, let done = rows.first(where: { $0.toState == "completed" })?.createdAt,
                      done >= earlier, done < week else { return nil }
                return done.timeIntervalSince(paid)
            }.sorted()
            #expect(durations.count == 25)
            let direct95 = durations[Int((0.95 * 25).rounded(.up)) - 1], direct50 = durations[Int((0.5 * 25).rounded(.up)) - 1]
            #expect(figure(earlier, "all", .generationP95) == direct95 && direct95 == 1440, "the 24th of 25")
            #expect(figure(earlier, "all", .generationP50) == direct50 && direct50 == 780)

            // The page draws a chart per figure, and the CSV has every row.
            let page = try await support.browser.request(.GET, "/admin/kpis?" + query)
            #expect(page.status == .ok && page.body.string.components(separatedBy: #"<svg class="kpi-chart""#).count - 1 == KPIs.Figure.allCases.count)
            #expect(page.body.string.contains("60.0 %") && page.body.string.contains("66.7 %"))
            let csv = try await support.browser.request(.GET, "/admin/kpis.csv?" + query)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\n")
            #expect(lines.count == 1 + 6 && lines[0].hasPrefix("week_start,package,upload_completion_rate"))
            #expect(lines.contains { $0.hasPrefix(day.string(from: week) + ",all,0.6000,0.6667,200.0000,1600.0000,0.2500,50.0000,0.2500,0.2500,0.3333") },
                    "\(lines)")
            #expect(try await support.browser.request(.GET, "/admin/kpis?from=yesterday").status == .unprocessableEntity)
            let (customer, _) = try await PhotoClient.make(app)
            #expect(try await customer.browser.request(.GET, "/admin/kpis").status == .notFound)
        }
    }
}
