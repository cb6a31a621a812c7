import FluentKit
import Foundation
import SQLKit

/// Where an order stands, for the live order page, its event stream and the API: state, headshots
/// done, place in the queue, and an ETA band from the measured duration of recent jobs.
package struct OrderProgress: Codable, Equatable, Sendable {
    package let status: String
    package let label: String
    package let done: Int
    package let total: Int
    /// Jobs that will be claimed before this one (nil once it is running or finished).
    package let queuePosition: Int?
    /// "Ready in about N–M minutes", from recent job durations; nil until there are measurements.
    package let etaMinMinutes: Int?
    package let etaMaxMinutes: Int?
    /// The estimate as the page says it: "Ready in about 2–3 minutes (measured over the last 5 orders)."
    package let etaText: String?
    /// The newest delivered headshots (up to `latestCount`, newest first), shown as they are made.
    package let latestHeadshots: [UUID]
    /// A re-run of the completed order is queued or being made: `done` and `total` are its.
    package let remaking: Bool

    package static let latestCount = 6

    package static let retryLabel = "Being made"

    /// Whether the work is being retried after an attempt that did not finish.
    package var isRetrying: Bool { status == OrderStatus.queued.rawValue && label == Self.retryLabel }

    package var isFinal: Bool { ["completed", "failed", "refunded", "deleted"].contains(status) && !remaking }

    package static let remakingLabel = "Re-making headshots"

    /// "Ready in about 1 minute (measured over the last order)."
    package static func etaSentence(low: Int, high: Int, measuredOver orders: Int) -> String {
        let band = low == high ? "\(low) minute\(low == 1 ? "" : "s")" : "\(low)–\(high) minutes"
        let basis = orders == 1 ? "the last order" : "the last \(orders) orders"
        return "Ready in about \(band) (measured over \(basis))."
    }

    package static func load(_ order: Order, on db: any Database) async throws -> OrderProgress {
        let orderID = try order.requireID()
        let jobs = try await GenerationJob.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt, .descending).all()
        // A completed order's re-run under way is what the page follows; otherwise the order's own job.
        let rerun = jobs.first { $0.kind == GenerationJob.Kind.rerun && [.queued, .running].contains($0.status) }
        let remaking = order.status == .completed && rerun != nil
        let job = remaking ? rerun : (jobs.first { $0.kind != GenerationJob.Kind.rerun } ?? jobs.first)
        var label = remaking ? Self.remakingLabel : order.status.label
        // An attempt being retried is still the same work to the customer, not a return to the queue.
        if order.status == .queued, let job, job.attempts > 0 { label = Self.retryLabel }
        var position: Int?
        if let job, job.status == .queued {
            position = try await GenerationJob.query(on: db).filter(\.$status == .queued)
                .group(.or) { group in
                    group.filter(\.$priority > job.priority)
                    group.group(.and) { $0.filter(\.$priority == job.priority).filter(\.$runAt < job.runAt) }
                }.count()
        }
        var low: Int?, high: Int?, text: String?
        if let job, [.queued, .running].contains(job.status), let (perJob, measured) = try await recentJobSeconds(on: db) {
            // Jobs ahead finish one after another; this one's remaining share is what is left of it.
            let remaining = Double(max(job.progressTotal - job.progressDone, 0)) / Double(max(job.progressTotal, 1))
            let seconds = Double(position ?? 0) * perJob + remaining * perJob
            low = max(1, Int((seconds * 0.8 / 60).rounded(.down)))
            high = max(low ?? 1, Int((seconds * 1.5 / 60).rounded(.up)))
            text = etaSentence(low: low!, high: high!, measuredOver: measured)
        }
        var latest: [UUID] = []
        if [.queued, .processing, .completed].contains(order.status) || remaking {
            // Ids only, read as such: this runs on every live-status tick of every open order page.
            latest = try await db.sql().select().column("id").from(GeneratedAsset.schema)
                .where("order_id", .equal, orderID).where("status", .equal, GeneratedAssetStatus.ready.rawValue)
                .orderBy("created_at", .descending).orderBy("sequence", .descending).limit(latestCount)
                .all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        return OrderProgress(status: order.status.rawValue, label: label, done: job?.progressDone ?? 0,
                             total: job?.progressTotal ?? order.headshotCount ?? 0, queuePosition: position,
                             etaMinMinutes: low, etaMaxMinutes: high, etaText: text, latestHeadshots: latest, remaking: remaking)
    }

    /// Median seconds from claim to success over the last 20 jobs that succeeded (from the audit
    /// trail), and how many were measured. Two queries whatever the count: it runs on every
    /// live-status tick of every open page.
    package static func recentJobSeconds(on db: any Database) async throws -> (seconds: Double, jobs: Int)? {
        let finished = try await AuditEvent.query(on: db).filter(\.$action == "job.status_changed").filter(\.$toState == "succeeded")
            .sort(\.$createdAt, .descending).limit(20).all()
        let jobs = finished.compactMap(\.subjectID)
        guard !jobs.isEmpty else { return nil }
        // Both reads use an index: (action, to_state, created_at), and (subject_type, subject_id, created_at).
        let starts = try await AuditEvent.query(on: db).filter(\.$subjectType == GenerationJob.auditSubject).filter(\.$subjectID ~~ jobs)
            .filter(\.$toState == "running").all()
        let durations = finished.compactMap { end -> Double? in
            // The claim that led to this success: the job's latest move to running before it.
            guard let start = starts.filter({ $0.subjectID == end.subjectID && $0.createdAt <= end.createdAt }).max(by: { $0.createdAt < $1.createdAt })
            else { return nil }
            return end.createdAt.timeIntervalSince(start.createdAt)
        }
        guard !durations.isEmpty else { return nil }
        return (durations.sorted()[durations.count / 2], durations.count)
    }
}
