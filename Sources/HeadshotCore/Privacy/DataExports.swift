import BlobStorage
import FluentKit
import Foundation

/// "Download my data": asking for an export, looking one up, and its download link. The work is
/// done by `DataExportWorker`; the ZIP is kept 7 days, the emailed link works for 24 hours, and only
/// for its owner's session.
package struct DataExports {
    package static let linkLifetime: TimeInterval = 24 * 3600
    package static let keptFor: TimeInterval = 7 * 24 * 3600
    /// Exports a user may ask for in a day (each reads every file of the account).
    package static let perDay = RateLimiter.Rule(bucket: "data-export", limit: 3, window: 24 * 3600,
                                         what: "You've asked for several copies of your data today.")

    package let db: any Database
    package let context: DomainContext
    package let links: DownloadLinks
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, links: DownloadLinks, actor: AuditActor) {
        self.db = db
        self.context = context
        self.links = links
        self.actor = actor
    }

    package func request(for user: User) async throws -> DataExport {
        let userID = try user.requireID(), now = context.clock.now()
        if let pending = try await DataExport.query(on: db).filter(\.$userID == userID)
            .filter(\.$status ~~ [.requested, .processing, .failed]).first() {
            return pending
        }
        try await RateLimiter(db: db).hit(Self.perDay, subject: "export-" + userID.uuidString, at: now)
        let export = DataExport(userID: userID, runAt: now)
        try await db.transaction { tx in
            try await export.create(on: tx)
            try await Audit.record("data_export.requested", subjectType: DataExport.auditSubject, subjectID: export.id, by: actor, at: now, on: tx)
        }
        return export
    }

    package func find(_ id: UUID?, for userID: UUID) async throws -> DataExport {
        guard let id, let export = try await DataExport.find(id, on: db), export.userID == userID else {
            throw Failure(.notFound, "There is no such export.")
        }
        return export
    }

    package func list(for userID: UUID) async throws -> [DataExport] {
        try await DataExport.query(on: db).filter(\.$userID == userID).sort(\.$createdAt, .descending).limit(10).all()
    }

    /// Exports are copies: when data they hold is deleted (a deletion, retention, a discarded draft) or
    /// its order refunded, every ready export of the user made before is withdrawn (in the caller's
    /// transaction), so it is served no more; `destroyWithdrawn` then destroys its ZIP and key.
    @discardableResult
    package static func withdraw(of userID: UUID, only ids: [UUID]? = nil, because reason: String, at now: Date,
                         on db: any Database) async throws -> [UUID] {
        var ready = DataExport.query(on: db).filter(\.$userID == userID).filter(\.$status == .ready)
        if let ids { ready = ready.filter(\.$id ~~ ids) }
        var withdrawn: [UUID] = []
        for export in try await ready.all() {
            do {
                try await Audit.transition(export, to: .withdrawn, by: .system(), detail: reason, at: now, on: db)
                withdrawn.append(try export.requireID())
            } catch is ConcurrentTransition {}
        }
        return withdrawn
    }

    /// Destroys the ZIP (and its key) of each withdrawn export that still has one: of one user, or of
    /// everyone (retention sweeps what a refund or an interrupted run left). Returns how many.
    @discardableResult
    package static func destroyWithdrawn(of userID: UUID?, store: any BlobStore, on db: any Database) async throws -> Int {
        var query = DataExport.query(on: db).filter(\.$status == .withdrawn).filter(\.$blobKey != nil)
        if let userID { query = query.filter(\.$userID == userID) }
        var destroyed = 0
        for export in try await query.all() {
            try await store.destroyScope(DataExport.scope(try export.requireID()))
            try await DataExport.query(on: db).filter(\.$id == export.requireID()).set(\.$blobKey, to: nil).update()
            destroyed += 1
        }
        return destroyed
    }

    /// The signed download link of a ready export, valid until 24 hours after it was made.
    package func link(for export: DataExport) throws -> String? {
        guard export.status == .ready, let readyAt = export.readyAt else { return nil }
        let now = context.clock.now()
        let remaining = readyAt.addingTimeInterval(Self.linkLifetime).timeIntervalSince(now)
        guard remaining > 0 else { return nil }
        let grant = links.grant(.export(try export.requireID()), user: export.userID, now: now, lifetime: remaining)
        return links.path(for: grant)
    }
}

/// What goes into an export: every selfie still stored (the normalised copy), every headshot the
/// user may still download, and `data.json` with the account, orders, payments, consents,
/// notifications and activity.
package enum ExportContents {
    package static func entries(for user: User, store: any BlobStore, on db: any Database, now: Date) async throws -> [ZipArchive.Entry] {
        let userID = try user.requireID()
        let orders = try await Order.query(on: db).filter(\.$user.$id == userID).filter(\.$status != .deleted).sort(\.$createdAt).all()
        var entries: [ZipArchive.Entry] = []
        var ordersJSON: [[String: Any]] = []
        for (position, order) in orders.enumerated() {
            let orderID = try order.requireID(), folder = "orders/\(position + 1)-\(orderID.uuidString.lowercased().prefix(8))"
            let uploads = try await UploadAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status != .deleted).sort(\.$createdAt).all()
            var selfies = 0
            for upload in uploads {
                let key = try PhotoKeys.photo(order: orderID, upload: upload.requireID())
                guard try await store.exists(key) else { continue }
                selfies += 1
                entries.append(.init(name: "\(folder)/selfies/selfie-\(String(format: "%02d", selfies)).jpg", source: .blob(key)))
            }
            var headshots = 0
            if try await Delivery.refusal(order: order, on: db) == nil {
                for asset in try await GeneratedAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .ready).sort(\.$sequence).all() {
                    headshots += 1
                    entries.append(.init(name: "\(folder)/headshots/\(asset.preset)-\(String(format: "%03d", asset.sequence)).jpg",
                                         source: .blob(try BlobKey(path: asset.blobKey))))
                }
            }
            let package = try await order.$package.get(on: db)
            var entry: [String: Any] = ["id": orderID.uuidString.lowercased(), "status": order.status.rawValue, "created_at": iso(order.createdAt)]
            entry["package"] = package?.name ?? NSNull()
            entry["headshots_ordered"] = order.headshotCount ?? NSNull()
            entry["amount_minor"] = order.amountMinor ?? NSNull()
            entry["currency"] = order.currency ?? NSNull()
            entry["styles"] = (order.presets ?? "").split(separator: ",").map(String.init)
            entry["consent"] = ["version": order.consentVersion ?? NSNull(), "given_at": iso(order.consentedAt)] as [String: Any]
            entry["payment_reference"] = order.paymentReference ?? NSNull()
            entry["files_in_this_export"] = ["selfies": selfies, "headshots": headshots]
            entry["photos"] = uploads.map { upload -> [String: Any] in
                ["uploaded_at": iso(upload.createdAt), "file_name": upload.originalFilename, "verdict": upload.verdict ?? NSNull(),
                 "deleted_after": iso(upload.expiresAt)]
            }
            ordersJSON.append(entry)
        }
        let orderIDs = orders.compactMap(\.id)
        let entitlements = orderIDs.isEmpty ? [] : try await Entitlement.query(on: db).filter(\.$order.$id ~~ orderIDs).all()
        let refunds = orderIDs.isEmpty ? [] : try await RefundRequest.query(on: db).filter(\.$order.$id ~~ orderIDs).all()
        let notifications = try await Notification.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).all()
        var activity: [[String: Any]] = []
        for page in 1...100 {
            let found = try await ActivityLog(db: db).page(for: userID, page: page)
            activity += found.entries.map { ["at": iso($0.at), "what": $0.description, "by": $0.actor] }
            if !found.hasMore { break }
        }
        var document: [String: Any] = ["exported_at": iso(now), "orders": ordersJSON, "activity": activity]
        document["account"] = ["id": userID.uuidString.lowercased(), "email": user.email, "created_at": iso(user.createdAt),
                               "email_confirmed_at": iso(user.emailVerifiedAt), "role": user.role.rawValue] as [String: Any]
        document["payments"] = entitlements.map { entitlement -> [String: Any] in
            ["order_id": entitlement.$order.id.uuidString.lowercased(), "headshots": entitlement.headshotCount,
             "status": entitlement.status.rawValue, "payment_reference": entitlement.paymentReference ?? NSNull()]
        }
        document["refunds"] = refunds.map { refund -> [String: Any] in
            ["order_id": refund.$order.id.uuidString.lowercased(), "status": refund.status.rawValue,
             "amount_minor": refund.amountMinor, "currency": refund.currency, "reason": refund.reason]
        }
        document["notifications"] = notifications.map { notification -> [String: Any] in
            ["at": iso(notification.createdAt), "title": notification.title, "body": notification.body, "read": notification.status == .read]
        }
        let json = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let readme = """
            Your data from Headshot Studio, exported \(DateText.short(now)).

            data.json     your account, orders (with the consent you gave), payments, refunds, notifications and activity
            orders/…      per order: the selfies we still keep (the normalised copies the quality check made) and your headshots

            Selfies and headshots already deleted (by their retention time or at your request) are not in it.
            """
        return [.init(name: "README.txt", source: .bytes(Array(readme.utf8))), .init(name: "data.json", source: .bytes([UInt8](json)))] + entries
    }

    /// The orders whose headshots a ready export holds: those the owner could still be served when it
    /// was made, with headshots made by then. (An order deleted, refunded or past retention since then
    /// withdrew the export: `DataExports.withdraw`.)
    package static func headshotOrders(of export: DataExport, on db: any Database) async throws -> [UUID] {
        guard let readyAt = export.readyAt else { return [] }
        let orders = try await Order.query(on: db).filter(\.$user.$id == export.userID).filter(\.$status == .completed).all()
        var holding: [UUID] = []
        for order in orders where try await Delivery.refusal(order: order, on: db) == nil {
            let id = try order.requireID()
            if try await GeneratedAsset.query(on: db).filter(\.$order.$id == id).filter(\.$status == .ready)
                .filter(\.$createdAt <= readyAt).count() > 0 {
                holding.append(id)
            }
        }
        return holding
    }

    private static func iso(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        return ISO8601DateFormatter().string(from: date)
    }
}
