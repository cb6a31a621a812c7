import FluentKit
import Foundation

/// The eight weekly figures of the KPI framework, computed from recorded events (orders, their
/// audited status changes, the "photos ready" event, downloads, tickets, refunds, re-runs), for each
/// week of a period, overall and by package. Each figure has a cohort, so a week's value never
/// changes its meaning as time passes:
/// - upload completion: orders created that week whose photos reached a ready set;
/// - upload → paid: of those, the ones paid;
/// - generation time P50/P95: orders completed that week, from paid to completed (nearest rank);
/// - download completion: orders completed that week with at least one download;
/// - tickets per 100 orders: tickets opened that week per 100 orders paid that week;
/// - refund rate: orders paid that week that were refunded;
/// - re-run credit usage: re-runs customers started on orders paid that week, per credit those orders included;
/// - 30-day repeat purchase: customers whose first paid order was paid that week and who paid for
///   another within 30 days of it.
/// A figure with nothing in its cohort is nil ("–"), not 0.
package struct KPIs {
    package enum Figure: String, CaseIterable, Sendable {
        case uploadCompletion = "upload_completion_rate"
        case uploadToPaid = "upload_to_paid_rate"
        case generationP50 = "generation_p50_seconds"
        case generationP95 = "generation_p95_seconds"
        case downloadCompletion = "download_completion_rate"
        case ticketsPer100 = "tickets_per_100_orders"
        case refundRate = "refund_rate"
        case rerunUsage = "rerun_credit_usage"
        case repeatPurchase = "repeat_purchase_30d_rate"

        package var label: String {
            switch self {
            case .uploadCompletion: "Upload completion (drafts reaching a ready set)"
            case .uploadToPaid: "Upload → paid conversion"
            case .generationP50: "Generation time P50 (paid → delivered)"
            case .generationP95: "Generation time P95 (paid → delivered)"
            case .downloadCompletion: "Download completion (orders with a download)"
            case .ticketsPer100: "Support tickets per 100 orders"
            case .refundRate: "Refund rate"
            case .rerunUsage: "Re-run credit usage"
            case .repeatPurchase: "30-day repeat purchase rate"
            }
        }

        package var isRate: Bool { ![.generationP50, .generationP95, .ticketsPer100].contains(self) }
        package var isSeconds: Bool { [.generationP50, .generationP95].contains(self) }

        package func format(_ value: Double?) -> String {
            guard let value else { return "–" }
            if isRate { return String(format: "%.1f %%", value * 100) }
            if isSeconds { return value < 120 ? String(format: "%.0f s", value) : String(format: "%.1f min", value / 60) }
            return String(format: "%.1f", value)
        }
    }

    /// One week's figures for one package ("all" for every package).
    package struct Row: Sendable {
        package let weekStart: Date
        package let package: String
        package var values: [Figure: Double]
    }

    package static let all = "all"
    /// How long before the period an order in one of its cohorts can have been created.
    package static let lookBack: TimeInterval = 90 * 86_400

    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    /// Monday 00:00 UTC of the week `date` falls in.
    package static func weekStart(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateInterval(of: .weekOfYear, for: date)!.start
    }

    /// The value at `quantile` by nearest rank over `values` (nil when empty).
    package static func percentile(_ values: [Double], _ quantile: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((quantile * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private struct OrderFacts {
        package let order: Order
        package let package: String
        package var ready = false
        package var paid: Date?
        package var completed: Date?
        package var refunded = false
    }

    /// The weeks from the one `from` falls in up to the one before `to`, each overall and by package.
    package func rows(from: Date, to: Date) async throws -> [Row] {
        let start = Self.weekStart(from), end = to
        // Orders that can fall into any cohort of the period: created, paid or completed in it (an
        // order is paid and made within days of its creation; drafts are cleaned up after a while),
        // and, for repeat purchases, paid up to 30 days after it.
        let horizon = end.addingTimeInterval(30 * 86_400), earliest = start.addingTimeInterval(-Self.lookBack)
        let packages = Dictionary(uniqueKeysWithValues: try await Package.query(on: db).all().compactMap { p in p.id.map { ($0, p.code) } })
        let orders = try await Order.query(on: db).filter(\.$createdAt >= earliest).filter(\.$createdAt < horizon).all()
        // Customers who paid for an order before that: none of their orders in the period is a first purchase.
        let returning = Set(try await Order.query(on: db).filter(\.$createdAt < earliest).filter(\.$paymentReference != nil).all(\.$user.$id))
        var facts: [UUID: OrderFacts] = [:]
        for order in orders {
            guard let id = order.id else { continue }
            facts[id] = OrderFacts(order: order, package: order.$package.id.flatMap { packages[$0] } ?? "none")
        }
        let ids = Array(facts.keys)
        var changes: [AuditEvent] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            changes += try await AuditEvent.query(on: db).filter(\.$subjectType == Order.auditSubject).filter(\.$subjectID ~~ chunk)
                .group(.or) { $0.filter(\.$action == "order.status_changed").filter(\.$action == OrderPhotos.readyAction) }.all()
        }
        for event in changes.sorted(by: { $0.createdAt < $1.createdAt }) {
            guard let id = event.subjectID, var fact = facts[id] else { continue }
            if event.action == OrderPhotos.readyAction || event.fromState == OrderStatus.draft.rawValue { fact.ready = true }
            switch event.toState {
            case OrderStatus.paid.rawValue: if fact.paid == nil { fact.paid = event.createdAt }
            case OrderStatus.completed.rawValue: if fact.completed == nil { fact.completed = event.createdAt }
            case OrderStatus.refunded.rawValue: fact.refunded = true
            default: break
            }
            facts[id] = fact
        }
        let downloaded = Set(try await DownloadEvent.query(on: db).all(\.$order.$id))
        let tickets = try await SupportTicket.query(on: db).filter(\.$createdAt >= start).filter(\.$createdAt < end).all()
        let customerReruns = try await AuditEvent.query(on: db).filter(\.$action == "rerun.started").all()
            .filter { !($0.detail ?? "").contains("granted by support") }.compactMap(\.subjectID)
        var rerunsByOrder: [UUID: Int] = [:]
        if !customerReruns.isEmpty {
            for job in try await GenerationJob.query(on: db).filter(\.$id ~~ customerReruns).all() { rerunsByOrder[job.$order.id, default: 0] += 1 }
        }
        // Each customer's paid orders in time order, for repeat purchases.
        var paidByCustomer: [UUID: [Date]] = [:]
        for fact in facts.values { if let paid = fact.paid { paidByCustomer[fact.order.$user.id, default: []].append(paid) } }
        for key in paidByCustomer.keys { paidByCustomer[key]?.sort() }

        var weeks: [Date] = []
        var week = start
        while week < end {
            weeks.append(week)
            week = week.addingTimeInterval(7 * 86_400)
        }
        let codes = [Self.all] + packages.values.sorted()
        var rows: [Row] = []
        for week in weeks {
            let next = week.addingTimeInterval(7 * 86_400)
            let inWeek = { (date: Date?) in date.map { $0 >= week && $0 < next } ?? false }
            for code in codes {
                let mine = facts.values.filter { code == Self.all || $0.package == code }
                var values: [Figure: Double] = [:]
                let created = mine.filter { inWeek($0.order.createdAt) }
                let ready = created.filter(\.ready)
                if code == Self.all, !created.isEmpty { values[.uploadCompletion] = Double(ready.count) / Double(created.count) }
                if code == Self.all, !ready.isEmpty { values[.uploadToPaid] = Double(ready.filter { $0.paid != nil }.count) / Double(ready.count) }
                let completed = mine.filter { inWeek($0.completed) }
                let durations = completed.compactMap { fact in fact.paid.flatMap { paid in fact.completed.map { $0.timeIntervalSince(paid) } } }
                values[.generationP50] = Self.percentile(durations, 0.5)
                values[.generationP95] = Self.percentile(durations, 0.95)
                if !completed.isEmpty {
                    values[.downloadCompletion] = Double(completed.filter { $0.order.id.map(downloaded.contains) ?? false }.count) / Double(completed.count)
                }
                let paid = mine.filter { inWeek($0.paid) }
                if !paid.isEmpty {
                    let paidIDs = Set(paid.compactMap(\.order.id))
                    let weekTickets = tickets.filter { inWeek($0.createdAt) && (code == Self.all || ($0.$order.id.map(paidIDs.contains) ?? false)) }
                    values[.ticketsPer100] = 100 * Double(weekTickets.count) / Double(paid.count)
                    values[.refundRate] = Double(paid.filter(\.refunded).count) / Double(paid.count)
                    let included = paid.map { $0.order.rerunCredits ?? 0 }.reduce(0, +)
                    if included > 0 {
                        values[.rerunUsage] = Double(paid.compactMap { $0.order.id.flatMap { rerunsByOrder[$0] } }.reduce(0, +)) / Double(included)
                    }
                    let firsts = paid.filter { fact in
                        !returning.contains(fact.order.$user.id) && paidByCustomer[fact.order.$user.id]?.first == fact.paid
                    }
                    if !firsts.isEmpty {
                        let repeated = firsts.filter { fact in
                            guard let first = fact.paid, let all = paidByCustomer[fact.order.$user.id] else { return false }
                            return all.dropFirst().contains { $0.timeIntervalSince(first) <= 30 * 86_400 }
                        }
                        values[.repeatPurchase] = Double(repeated.count) / Double(firsts.count)
                    }
                }
                rows.append(Row(weekStart: week, package: code, values: values))
            }
        }
        return rows
    }

    /// The rows as CSV: one line per week and package, the figures as plain numbers (rates 0–1, seconds).
    package static func csv(_ rows: [Row]) -> String {
        let header = (["week_start", "package"] + Figure.allCases.map(\.rawValue)).joined(separator: ",")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let lines = rows.map { row in
            ([formatter.string(from: row.weekStart), row.package] + Figure.allCases.map { figure in
                row.values[figure].map { String(format: "%.4f", $0) } ?? ""
            }).joined(separator: ",")
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }
}
