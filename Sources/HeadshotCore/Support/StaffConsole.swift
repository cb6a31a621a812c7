import BlobStorage
import FluentKit
import Foundation

/// What the staff console shows and does, for its pages and its API alike. Support sees order and
/// job metadata (never photos, except headshots a customer attached to a ticket), answers tickets,
/// re-runs and refunds; admins also see photos (each view audited), edit packages and roles.
/// Every action, and every look at a customer's data, is an audit event carrying the staff
/// member's id (the `actor`).
package struct StaffConsole {
    package let db: any Database
    package let actor: AuditActor
    package let now: Date

    package init(db: any Database, actor: AuditActor, now: Date) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    // MARK: Overview

    /// A job that needs a person: still queued or running long past what jobs take, or failed.
    package struct JobAlert: Sendable {
        package let job: GenerationJob
        package let order: Order
        package let customer: String
        /// Seconds since the job was created.
        package let age: Double
        package let stuck: Bool
    }

    package struct Overview: Sendable {
        package let alerts: [JobAlert]
        package let openTickets: [SupportTicket]
        package let refunds: [RefundRequest]
        /// The age past which an unfinished job counts as stuck.
        package let stuckAfter: Double
    }

    /// An unfinished job is stuck once it is older than three times the median of recent jobs, and
    /// never sooner than 15 minutes (the order page's ETA band is at most 1.5 times the median).
    package static func stuckAfter(medianSeconds: Double?) -> Double { max(15 * 60, 3 * (medianSeconds ?? 0)) }

    package func overview() async throws -> Overview {
        let median = try await OrderProgress.recentJobSeconds(on: db)?.seconds
        let limit = Self.stuckAfter(medianSeconds: median)
        let active = try await GenerationJob.query(on: db).filter(\.$status ~~ [.queued, .running]).all()
            .filter { now.timeIntervalSince($0.createdAt ?? now) > limit }
        let failed = try await GenerationJob.query(on: db).filter(\.$status == .failed)
            .filter(\.$updatedAt >= now.addingTimeInterval(-30 * 86_400)).sort(\.$updatedAt, .descending).limit(100).all()
        var alerts: [JobAlert] = []
        for job in active + failed {
            guard let order = try await Order.find(job.$order.id, on: db) else { continue }
            let customer = try await User.find(order.$user.id, on: db)?.email ?? "deleted account"
            alerts.append(JobAlert(job: job, order: order, customer: customer, age: now.timeIntervalSince(job.createdAt ?? now),
                                   stuck: job.status != .failed))
        }
        let tickets = try await SupportTicket.query(on: db).filter(\.$status ~~ [.open, .pending]).sort(\.$createdAt).limit(200).all()
        let refunds = try await RefundRequest.query(on: db).filter(\.$status ~~ [.requested, .approved]).sort(\.$createdAt).all()
        return Overview(alerts: alerts, openTickets: tickets, refunds: refunds, stuckAfter: limit)
    }

    // MARK: Orders

    package struct StateSpan: Sendable {
        package let state: String
        package let from: Date
        /// nil while the order is still in it.
        package let until: Date?
        package let seconds: Double
    }

    package struct OrderFile: Sendable {
        package let order: Order
        package let customer: User?
        package let jobs: [GenerationJob]
        package let entitlement: Entitlement?
        package let refunds: [RefundRequest]
        package let tickets: [SupportTicket]
        package let trail: [AuditEvent]
        package let spans: [StateSpan]
        package let photos: [UploadAsset]
        package let headshots: Int
        package let held: Bool
        /// What the GPU provider was asked for this order (its cost, for admins).
        package let predictions: [RemotePrediction]

        /// Predictions, billed seconds and their cost at the price each was bought at.
        package var gpuCost: (predictions: Int, seconds: Double, cost: Double) {
            (predictions.count, predictions.compactMap(\.predictTime).reduce(0, +), predictions.map(\.cost).reduce(0, +))
        }
    }

    /// An order's metadata, the full audit trail of it and its jobs, refunds and entitlement, and the
    /// time it spent in each state. The look is audited.
    package func order(_ orderID: UUID) async throws -> OrderFile {
        guard let order = try await Order.find(orderID, on: db) else { throw Failure.notFound("There is no such order.") }
        let jobs = try await GenerationJob.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt).all()
        let entitlement = try await Entitlement.query(on: db).filter(\.$order.$id == orderID).first()
        let refunds = try await RefundRequest.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt).all()
        let subjects = [orderID] + jobs.compactMap(\.id) + refunds.compactMap(\.id) + [entitlement?.id].compactMap { $0 }
        let trail = try await AuditEvent.query(on: db).filter(\.$subjectID ~~ subjects).sort(\.$createdAt).sort(\.$id).all()
        try await Audit.record("staff.order_viewed", subjectType: Order.auditSubject, subjectID: orderID, by: actor, at: now, on: db)
        return OrderFile(
            order: order, customer: try await User.find(order.$user.id, on: db), jobs: jobs, entitlement: entitlement, refunds: refunds,
            tickets: try await SupportTicket.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt).all(),
            trail: trail, spans: Self.spans(of: trail.filter { $0.subjectID == orderID && $0.toState != nil }, created: order, now: now),
            photos: try await UploadAsset.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt).all(),
            headshots: try await GeneratedAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .ready).count(),
            held: try await LegalHolds.isHeld(order, on: db),
            predictions: try await RemotePrediction.query(on: db).filter(\.$orderID == orderID).sort(\.$createdAt).all())
    }

    /// The order's states in turn, from its status changes: how long it spent in each.
    package static func spans(of changes: [AuditEvent], created order: Order, now: Date) -> [StateSpan] {
        var spans: [StateSpan] = []
        var state = changes.first?.fromState ?? order.status.rawValue
        var since = order.createdAt ?? changes.first?.createdAt ?? now
        for change in changes {
            guard let next = change.toState else { continue }
            spans.append(StateSpan(state: state, from: since, until: change.createdAt, seconds: change.createdAt.timeIntervalSince(since)))
            state = next
            since = change.createdAt
        }
        spans.append(StateSpan(state: state, from: since, until: nil, seconds: now.timeIntervalSince(since)))
        return spans
    }

    // MARK: Users

    package struct UserFile: Sendable {
        package let user: User
        package let orders: [Order]
        package let tickets: Int
    }

    /// Accounts whose email is, or contains, `email` (at most 20). The lookup is audited.
    /// A search for accounts by part of their email address.
    package static let searchLength = 3...InputRules.emailMaxLength

    package func findUsers(email raw: String) async throws -> [UserFile] {
        let email = InputRules.trimmed(raw).lowercased()
        if let problem = InputRules.problem(raw, Self.searchLength, tooShort: "Type at least 3 characters of the email address.",
                                            tooLong: "An email address has at most \(InputRules.emailMaxLength) characters.") {
            throw AccountError.invalidInput(["email": problem])
        }
        let users = try await User.query(on: db).filter(\.$email, .custom("LIKE"), "%\(Self.escapeLike(email))%").sort(\.$email).limit(20).all()
        try await Audit.record("staff.user_lookup", subjectType: "user", subjectID: nil, by: actor, detail: "\(users.count) found", at: now, on: db)
        var files: [UserFile] = []
        for user in users {
            let id = try user.requireID()
            files.append(UserFile(user: user, orders: try await Order.query(on: db).filter(\.$user.$id == id).sort(\.$createdAt, .descending).all(),
                                  tickets: try await SupportTicket.query(on: db).filter(\.$user.$id == id).count()))
        }
        return files
    }

    /// LIKE's wildcards in a typed address match themselves only.
    package static func escapeLike(_ text: String) -> String {
        text.filter { $0 != "%" && $0 != "_" && $0 != "\\" }
    }

    /// Admins only: gives a user a role. An admin cannot take their own admin role away (the console
    /// would lose its last way in).
    package func setRole(of userID: UUID, to role: User.Role) async throws -> User {
        guard let user = try await User.find(userID, on: db) else { throw Failure.notFound("There is no such user.") }
        if userID == actor.id, role != .admin { throw Failure(.conflict, "You cannot take away your own admin role.", code: "own_role") }
        let from = user.role
        guard from != role else { return user }
        user.role = role
        try await db.transaction { tx in
            try await user.save(on: tx)
            try await AuditEvent(actor: actor, action: "user.role_changed", subjectType: "user", subjectID: userID,
                                 from: from.rawValue, to: role.rawValue, at: now).create(on: tx)
        }
        return user
    }

    // MARK: Packages

    package struct PackageChange: Sendable {
        package var name: String?
        package var priceMinor: Int?
        package var headshotCount: Int?
        package var maxPresets: Int?
        package var rerunCredits: Int?

        package init(name: String?, priceMinor: Int?, headshotCount: Int?, maxPresets: Int?, rerunCredits: Int?) {
            self.name = name
            self.priceMinor = priceMinor
            self.headshotCount = headshotCount
            self.maxPresets = maxPresets
            self.rerunCredits = rerunCredits
        }

        /// What an admin may set (stated in the API document as well).
        package static let nameLength = 2...40
        package static let prices = 50...1_000_000
        package static let headshotCounts = 1...500
        package static let presetCounts = 1...StylePreset.allCases.count
        package static let rerunCreditCounts = 0...20
    }

    /// Admins only: changes a package. Orders keep what they were sold at checkout (count, price and
    /// re-run credits are copied onto the order then), so a change applies to new orders only.
    package func update(package packageID: UUID, _ change: PackageChange) async throws -> Package {
        guard let package = try await Package.find(packageID, on: db) else { throw Failure.notFound("There is no such package.") }
        var problems: [String: String] = [:]
        typealias Limits = PackageChange
        if let name = change.name, let problem = InputRules.problem(name, Limits.nameLength, tooShort: "Use 2–40 characters.") { problems["name"] = problem }
        if let price = change.priceMinor, !Limits.prices.contains(price) { problems["price_minor"] = "A price from 50 to 1,000,000 (in cents)." }
        if let count = change.headshotCount, !Limits.headshotCounts.contains(count) { problems["headshot_count"] = "From 1 to 500 headshots." }
        if let presets = change.maxPresets, !Limits.presetCounts.contains(presets) {
            problems["max_presets"] = "From 1 to \(StylePreset.allCases.count) styles."
        }
        if let credits = change.rerunCredits, !Limits.rerunCreditCounts.contains(credits) { problems["rerun_credits"] = "From 0 to 20 re-runs." }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
        var changed: [String] = []
        if let name = change.name.map(InputRules.trimmed), name != package.name { changed.append("name \(package.name) → \(name)"); package.name = name }
        if let price = change.priceMinor, price != package.priceMinor { changed.append("price \(package.priceMinor) → \(price)"); package.priceMinor = price }
        if let count = change.headshotCount, count != package.headshotCount {
            changed.append("headshots \(package.headshotCount) → \(count)"); package.headshotCount = count
        }
        if let presets = change.maxPresets, presets != package.maxPresets { changed.append("styles \(package.maxPresets) → \(presets)"); package.maxPresets = presets }
        if let credits = change.rerunCredits, credits != package.rerunCredits {
            changed.append("re-runs \(package.rerunCredits) → \(credits)"); package.rerunCredits = credits
        }
        guard !changed.isEmpty else { return package }
        let detail = changed.joined(separator: "; ")
        try await db.transaction { tx in
            try await package.save(on: tx)
            try await Audit.record("package.updated", subjectType: "package", subjectID: packageID, by: actor,
                                   detail: detail, at: now, on: tx)
        }
        return package
    }

    // MARK: Photos

    /// A headshot a customer attached to the ticket (404 for any other: support sees only these).
    package func attachment(ticket ticketID: UUID, asset assetID: UUID) async throws -> GeneratedAsset {
        guard try await SupportAttachment.query(on: db).filter(\.$ticket.$id == ticketID).filter(\.$asset.$id == assetID).first() != nil,
              let asset = try await GeneratedAsset.find(assetID, on: db), asset.status == .ready else {
            throw Failure.notFound("That headshot is not attached to this request.")
        }
        try await Audit.record("staff.attachment_viewed", subjectType: GeneratedAsset.auditSubject, subjectID: assetID, by: actor,
                               detail: "ticket \(ticketID.uuidString)", at: now, on: db)
        return asset
    }

    /// Admins only: one of an order's selfies or headshots, the look audited. Returns its blob key.
    package func photo(order orderID: UUID, photo photoID: UUID?, headshot assetID: UUID?) async throws -> BlobKey {
        if let photoID, let upload = try await UploadAsset.query(on: db).filter(\.$id == photoID).filter(\.$order.$id == orderID).first(),
           upload.status != .deleted {
            try await Audit.record("admin.photo_viewed", subjectType: "photo", subjectID: photoID, by: actor, detail: "order \(orderID.uuidString)",
                                   at: now, on: db)
            return try BlobKey(path: upload.blobKey)
        }
        if let assetID, let asset = try await GeneratedAsset.query(on: db).filter(\.$id == assetID).filter(\.$order.$id == orderID).first(),
           asset.status == .ready {
            try await Audit.record("admin.headshot_viewed", subjectType: GeneratedAsset.auditSubject, subjectID: assetID, by: actor,
                                   detail: "order \(orderID.uuidString)", at: now, on: db)
            return try BlobKey(path: asset.blobKey)
        }
        throw Failure.notFound("There is no such photo in this order.")
    }
}
