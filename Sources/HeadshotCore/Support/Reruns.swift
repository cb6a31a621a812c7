import FluentKit
import Foundation
import SQLKit

/// Re-runs: a completed order's customer spends one of the package's re-run credits to have one
/// style, or the headshots they picked, made again. A re-run is a new `GenerationJob` (kind
/// `rerun`) on the same order; the order stays completed and keeps every headshot it has, and the
/// new ones join them in the gallery, marked, as they are made. The credit is spent in the same
/// transaction that queues the job, under the order's lock, so pressing the button twice (or ten
/// times at once, or through the API) spends one: the others find the re-run under way. A re-run
/// needs the order's selfies (it is made from them), so it is possible only until they are deleted.
/// Support's one-click re-run grants the credit it spends. A re-run that fails for good gives its
/// credit back.
package struct Reruns {
    package enum Scope: Sendable, Equatable {
        /// Every headshot of one style.
        case style(String)
        /// The headshots the customer picked (each is re-made in its own style).
        case headshots([UUID])
    }

    package enum Problem: DomainError {
        case notCompleted
        case selfiesGone
        case noCredits
        case underWay
        case unknownStyle
        case noHeadshots

        package var kind: FailureKind {
            switch self {
            case .unknownStyle, .noHeadshots: .invalid
            default: .conflict
            }
        }
        package var code: String {
            switch self {
            case .notCompleted: "order_not_completed"
            case .selfiesGone: "selfies_deleted"
            case .noCredits: "no_rerun_credits"
            case .underWay: "rerun_under_way"
            case .unknownStyle: "unknown_style"
            case .noHeadshots: "no_headshots_chosen"
            }
        }
        package var reason: String {
            switch self {
            case .notCompleted: "Headshots can be re-made once the order is complete."
            case .selfiesGone: "This order's selfies have been deleted, and re-made headshots are made from them; a re-run is no longer possible."
            case .noCredits: "This order has no re-run credits left. Contact support if a headshot has a problem."
            case .underWay: "A re-run of this order is already under way; you can start another once it is done."
            case .unknownStyle: "Choose one of this order's styles to re-make."
            case .noHeadshots: "Tick the headshots you want re-made (headshots of this order)."
            }
        }
    }

    /// "1 re-run" / "3 re-runs", as a package lists it.
    package static func creditsPhrase(_ credits: Int) -> String {
        credits == 0 ? "No re-runs" : "\(credits) re-run\(credits == 1 ? "" : "s")"
    }

    /// What re-runs are, where the help page and the terms say it.
    package static func explanation(selfieDays: Int) -> String {
        "Each package includes the re-runs listed with it. From your gallery, one re-run makes one style, or the headshots you tick, again from your selfies, as pictures you have not seen yet. The headshots you have stay. Re-runs need your selfies, so they are possible until the selfies are deleted (\(selfieDays) days after upload, or sooner if you delete them). A re-run that fails costs nothing."
    }

    package let db: any Database
    package let actor: AuditActor
    package let now: Date
    /// Serialises with fulfilment and refunds on SQLite (nil on PostgreSQL, whose row lock suffices).
    package var lock: AsyncMutex? = nil

    package init(db: any Database, actor: AuditActor, now: Date, lock: AsyncMutex? = nil) {
        self.db = db
        self.actor = actor
        self.now = now
        self.lock = lock
    }

    /// Queues a re-run of `scope` on the order. `owner` is the customer asking (the order must be
    /// theirs: otherwise it does not exist for them); nil when support starts it, and then
    /// `granted` adds the credit the re-run spends. Returns the queued job.
    package func start(order orderID: UUID, owner: UUID?, scope: Scope, granted: Bool = false) async throws -> GenerationJob {
        let actor = self.actor, now = self.now
        do {
            return try await OrderLock.run(orderID, on: db, mutex: lock) { tx -> GenerationJob in
                guard let order = try await Order.find(orderID, on: tx), owner == nil || order.$user.id == owner, order.status != .deleted else {
                    throw Failure.notFound("There is no such order.")
                }
                guard order.status == .completed,
                      let entitlement = try await Entitlement.query(on: tx).filter(\.$order.$id == orderID).filter(\.$status == .active).first()
                else { throw Problem.notCompleted }
                guard try await Self.selfiesKept(orderID, on: tx) else { throw Problem.selfiesGone }
                let active = try await GenerationJob.query(on: tx).filter(\.$order.$id == orderID).filter(\.$status ~~ [.queued, .running]).count()
                guard active == 0 else { throw Problem.underWay }
                let presets = try await Self.presets(of: scope, order: order, on: tx)

                if granted {
                    try await Audit.record("rerun.credit_granted", subjectType: Order.auditSubject, subjectID: orderID, by: actor,
                                           detail: "support re-run", at: now, on: tx)
                } else {
                    let sql = try tx.sql()
                    let spent = try await sql.raw("""
                        UPDATE entitlements SET rerun_credits = rerun_credits - 1, updated_at = \(bind: now)
                        WHERE id = \(bind: try entitlement.requireID()) AND rerun_credits > 0 RETURNING rerun_credits
                        """).all()
                    guard let left = try spent.first?.decode(column: "rerun_credits", as: Int.self) else { throw Problem.noCredits }
                    entitlement.rerunCredits = left
                }
                let package = try await Package.find(entitlement.$package.id, on: tx)
                let job = GenerationJob(orderID: orderID, kind: GenerationJob.Kind.rerun, priority: package?.queuePriority ?? 0, runAt: now,
                                        maxAttempts: Fulfilment.jobAttempts, total: presets.count)
                job.payload = presets.joined(separator: ",")
                try await job.create(on: tx)
                if !granted {
                    // What a failure gives back: only a credit this job took.
                    try await tx.sql().update(GenerationJob.schema).set("credit_spent", to: SQLBind(true)).where("id", .equal, SQLBind(try job.requireID())).run()
                }
                try await Audit.record("rerun.started", subjectType: GenerationJob.auditSubject, subjectID: job.id, by: actor,
                                       detail: "\(Self.describe(scope, presets: presets)); \(granted ? "granted by support" : "\(entitlement.rerunCredits) credits left")",
                                       at: now, on: tx)
                return job
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The one-active-job index: a re-run (or the order's own job) got there first.
            throw Problem.underWay
        }
    }

    /// Support's one click on a failed order: it is queued again as a new job that takes over what the
    /// failed one delivered (so it makes only the rest, never a headshot twice), with fresh attempts.
    package func retry(failed orderID: UUID) async throws -> GenerationJob {
        let actor = self.actor, now = self.now
        do {
            return try await OrderLock.run(orderID, on: db, mutex: lock) { tx -> GenerationJob in
                guard let order = try await Order.find(orderID, on: tx) else { throw Failure.notFound("There is no such order.") }
                guard order.status == .failed,
                      let failed = try await GenerationJob.query(on: tx).filter(\.$order.$id == orderID).filter(\.$kind == GenerationJob.Kind.generate)
                          .sort(\.$createdAt, .descending).first(), failed.status == .failed,
                      try await Entitlement.query(on: tx).filter(\.$order.$id == orderID).filter(\.$status == .active).count() > 0
                else { throw Failure(.conflict, "Only a failed, paid order can be tried again.", code: "not_failed") }
                guard try await Self.selfiesKept(orderID, on: tx) else { throw Problem.selfiesGone }
                let job = GenerationJob(orderID: orderID, kind: GenerationJob.Kind.generate, priority: failed.priority, runAt: now,
                                        maxAttempts: Fulfilment.jobAttempts, total: failed.progressTotal)
                job.payload = failed.payload
                job.progressDone = failed.progressDone
                try await job.create(on: tx)
                try await GeneratedAsset.query(on: tx).filter(\.$job.$id == failed.requireID()).set(\.$job.$id, to: job.requireID()).update()
                try await Audit.transition(order, to: .queued, by: actor, detail: "tried again by support", at: now, on: tx)
                try await Audit.record("order.retried", subjectType: GenerationJob.auditSubject, subjectID: job.id, by: actor,
                                       detail: "after failed job \(try failed.requireID().uuidString)", at: now, on: tx)
                return job
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.underWay
        }
    }

    /// Each re-made headshot's preset, in gallery order.
    private static func presets(of scope: Scope, order: Order, on db: any Database) async throws -> [String] {
        let orderID = try order.requireID()
        let firstRun = try await GenerationJob.query(on: db).filter(\.$order.$id == orderID).filter(\.$kind == GenerationJob.Kind.generate).all(\.$id)
        let delivered = try await GeneratedAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .ready).sort(\.$sequence).all()
        switch scope {
        case .style(let style):
            guard StylePreset.chosen(order.presets).contains(where: { $0.rawValue == style }) else { throw Problem.unknownStyle }
            // The style as the order delivered it (re-made ones are not counted again).
            let count = delivered.filter { $0.preset == style && ($0.$job.id.map(firstRun.contains) ?? true) }.count
            guard count > 0 else { throw Problem.unknownStyle }
            return Array(repeating: style, count: count)
        case .headshots(let ids):
            let chosen = Set(ids)
            let picked = delivered.filter { $0.id.map(chosen.contains) ?? false }
            guard !chosen.isEmpty, picked.count == chosen.count else { throw Problem.noHeadshots }
            return picked.map(\.preset)
        }
    }

    private static func describe(_ scope: Scope, presets: [String]) -> String {
        switch scope {
        case .style(let style): "style \(style), \(presets.count) headshots"
        case .headshots: "\(presets.count) chosen headshots"
        }
    }

    /// Whether the order still has the accepted selfies a re-run is made from.
    package static func selfiesKept(_ orderID: UUID, on db: any Database) async throws -> Bool {
        try await UploadAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .accepted).count() > 0
    }

    /// A re-run that failed for good costs nothing: the credit it spent comes back (in the failing
    /// transaction). One support granted was never the customer's, so nothing comes back for it.
    @discardableResult
    package static func giveBackCredit(order orderID: UUID, job jobID: UUID, at now: Date, on tx: any Database) async throws -> Bool {
        let sql = try tx.sql()
        let returned = try await sql.raw("""
            UPDATE entitlements SET rerun_credits = rerun_credits + 1, updated_at = \(bind: now)
            WHERE order_id = \(bind: orderID) AND status = 'active'
                AND EXISTS (SELECT 1 FROM generation_jobs WHERE id = \(bind: jobID) AND credit_spent = \(bind: true))
            RETURNING rerun_credits
            """).all()
        guard !returned.isEmpty else { return false }
        try await Audit.record("rerun.credit_returned", subjectType: GenerationJob.auditSubject, subjectID: jobID, by: .system(),
                               detail: "the re-run failed", at: now, on: tx)
        return true
    }

    /// What the gallery and the order page say about re-runs: credits left, the re-run under way, and
    /// whether the selfies (and so re-runs) are still there.
    package struct Standing: Sendable {
        package let credits: Int
        package let running: GenerationJob?
        package let selfiesKept: Bool
        /// Ids of the jobs that were re-runs: their headshots are marked as re-made.
        package let rerunJobs: Set<UUID>

        package var canStart: Bool { credits > 0 && running == nil && selfiesKept }
    }

    package static func standing(of orderID: UUID, on db: any Database) async throws -> Standing {
        let credits = try await Entitlement.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .active).first()?.rerunCredits ?? 0
        let reruns = try await GenerationJob.query(on: db).filter(\.$order.$id == orderID).filter(\.$kind == GenerationJob.Kind.rerun)
            .sort(\.$createdAt, .descending).all()
        return Standing(credits: credits, running: reruns.first { [.queued, .running].contains($0.status) },
                        selfiesKept: try await selfiesKept(orderID, on: db), rerunJobs: Set(reruns.compactMap(\.id)))
    }
}

extension Reruns {
    /// The re-run credits the order's live entitlement still holds (nil when it has none).
    package static func creditsLeft(of order: UUID, on db: any Database) async throws -> Int? {
        try await Entitlement.query(on: db).filter(\.$order.$id == order).filter(\.$status == .active).first()?.rerunCredits
    }

    /// The order's re-run jobs, oldest first.
    package static func jobs(of order: UUID, on db: any Database) async throws -> [GenerationJob] {
        try await GenerationJob.query(on: db).filter(\.$order.$id == order).filter(\.$kind == GenerationJob.Kind.rerun).sort(\.$createdAt).all()
    }
}
