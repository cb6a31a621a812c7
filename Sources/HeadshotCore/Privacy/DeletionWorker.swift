import BlobStorage
import FluentKit
import Foundation
import Logging
import Mail
import SQLKit

/// Carries out deletion requests. Each request is claimed under a lease (`LeasedWork`, like the
/// generation queue); every later write names the lease token, so a worker that lost its lease
/// (killed, paused) cannot finish a request another one took over. A request whose worker died is
/// claimed again once its lease runs out; the run resumes from the inventory stored at its first
/// claim, so the receipt counts each item once.
///
/// Order of work: inventory → data keys destroyed (crypto-shredding: from here on nothing stored
/// under the orders can be read, wherever a copy is) → blobs deleted and the prefixes verified empty
/// → rows deleted, the receipt written and the confirmation queued, in one transaction.
/// Requests covered by a legal hold are not claimed until the hold is released.
package struct DeletionWorker {
    package static let interval: Duration = .seconds(1)
    package static let lease: TimeInterval = 60
    /// Backoff of a failed attempt (it is retried until it completes).
    package static let backoff: [TimeInterval] = [5, 30, 120, 600]

    package let db: any Database
    package let store: any BlobStore
    package let mail: MailQueue
    package let clock: any WallClock
    package let baseURL: URL
    package let storage: String
    package let worker: String
    package let logger: Logger
    /// The predictions provider: anything still open at it for the orders is cancelled first.
    package let remote: RemoteProvider?

    /// `storage` names the kind of store in the deletion proof ("local" or "s3"); `worker` defaults to
    /// this process's name (tests pass their own).
    package init(context: DomainContext, store: any BlobStore, storage: String, remote: RemoteProvider?, logger: Logger, worker: String? = nil) throws {
        db = try context.database()
        self.store = store
        mail = context.mail
        clock = context.clock
        self.remote = remote
        baseURL = context.baseURL
        self.storage = storage
        self.worker = worker ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-deletions"
        self.logger = logger
    }

    package typealias Claim = LeasedWork.Claim
    package typealias FencedOut = LeasedWork.FencedOut

    private var leases: LeasedWork {
        LeasedWork(table: DeletionRequest.schema, subject: DeletionRequest.auditSubject, lease: Self.lease, worker: worker)
    }

    /// Processes every request that is due; returns how many it completed.
    @discardableResult
    package func runDue() async throws -> Int {
        var completed = 0
        while let claim = try await claim(now: clock.now()) {
            if try await process(claim) { completed += 1 }
        }
        return completed
    }

    /// Leases the oldest due request: a new one, a failed one whose backoff is over, or one whose
    /// worker's lease ran out. Requests under a legal hold (the account's, or an order's it covers) wait.
    package func claim(now: Date) async throws -> Claim? {
        try await leases.claim(now: now, eligible: """
            NOT EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id AND u.legal_hold_at IS NOT NULL)
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.legal_hold_at IS NOT NULL
                            AND (o.id = d.order_id OR (d.scope = 'account' AND o.user_id = d.user_id)))
            """, on: db)
    }

    /// Runs one claimed request to completion; false when it was handed back or failed (to be retried).
    package func process(_ claim: Claim) async throws -> Bool {
        do {
            guard let request = try await DeletionRequest.find(claim.id, on: db) else { return false }
            // A hold placed after the claim, or work started on the order (a support re-run): wait.
            if try await Deletions.isHeld(request, on: db) {
                try await handBack(claim, after: 300, reason: "a legal hold keeps this data")
                return false
            }
            if try await busy(request) {
                try await handBack(claim, after: 60, reason: "headshots are being made from this order")
                return false
            }
            // Work that would still write into the orders (a re-run of a completed order) is cancelled
            // first: its lease is fenced, so it can record nothing, and its files are refused once the
            // scopes are destroyed (`GuardedBlobStore`'s tombstones).
            try await cancelJobs(of: request)
            var inventory: DeletionInventory
            if let stored = request.inventory {
                inventory = try JSONDecoder().decode(DeletionInventory.self, from: Data(stored.utf8))
            } else {
                inventory = try await DeletionInventory.take(of: request, on: db, store: store)
                try await save(inventory, claim)
            }
            if let remote, request.scope != .selfies {
                for order in inventory.orders { await remote.cancelOpen(orderID: order, on: db, now: clock.now()) }
            }
            // Orders opened since the inventory was taken (an account still signed in) go too.
            if request.scope == .account {
                let current = try await Order.query(on: db).filter(\.$user.$id == request.userID).all(\.$id)
                let added = current.filter { !inventory.orders.contains($0) }
                if !added.isEmpty {
                    inventory.orders += added
                    inventory.scopes += added.map(PhotoKeys.scope)
                    try await save(inventory, claim)
                }
            }
            // Crypto-shredding first: each order's data key is destroyed before its files are removed.
            if !inventory.scopes.isEmpty {
                for scope in inventory.scopes { try await store.destroyScope(scope) }
                if request.keyDestroyedAt == nil {
                    let destroyed = clock.now()
                    try await fenced(claim, "key_destroyed_at = \(bind: destroyed)")
                    request.keyDestroyedAt = destroyed
                }
            }
            for (index, blob) in inventory.blobs.enumerated() {
                try await store.delete(try BlobKey(path: blob.key))
                if index % 50 == 49 { try await fenced(claim, "lease_expires_at = \(bind: clock.now().addingTimeInterval(Self.lease))") }
            }
            try await verifyGone(&inventory, request: request, claim)
            try await finish(request, inventory: inventory, claim)
            logger.info("deletion \(claim.id) (\(request.scope.rawValue)) completed: \(inventory.blobs.count) blobs")
            return true
        } catch is FencedOut {
            logger.warning("deletion \(claim.id): lease lost; another worker owns it")
            return false
        } catch {
            logger.error("deletion \(claim.id) attempt \(claim.attempt) failed: \(error)")
            try? await db.transaction { tx in try await leases.fail(claim, error: error, backoff: Self.backoff, at: clock.now(), on: tx) }
            return false
        }
    }

    /// Whether headshots are being made from the data right now.
    private func busy(_ request: DeletionRequest) async throws -> Bool {
        var orders = Order.query(on: db).filter(\.$status ~~ Deletions.busy)
        orders = request.scope == .account ? orders.filter(\.$user.$id == request.userID) : orders.filter(\.$id == (request.orderID ?? UUID()))
        return try await orders.count() > 0
    }

    /// Cancels the queued and running jobs of the request's orders (each an audited move that fences
    /// the worker holding it out of every later write).
    private func cancelJobs(of request: DeletionRequest) async throws {
        let orders: [UUID] = switch request.scope {
        case .account: try await Order.query(on: db).filter(\.$user.$id == request.userID).all(\.$id)
        case .order, .selfies: request.orderID.map { [$0] } ?? []
        }
        guard !orders.isEmpty else { return }
        let now = clock.now()
        for job in try await GenerationJob.query(on: db).filter(\.$order.$id ~~ orders).filter(\.$status ~~ [.queued, .running]).all() {
            do {
                try await Audit.transition(job, to: .cancelled, by: .system(), detail: "the order's data is being deleted", at: now, on: db)
            } catch is ConcurrentTransition {}
        }
    }

    /// Storage must hold nothing of the request afterwards: each destroyed scope lists empty, and no
    /// selfie file of a selfies-only deletion exists. Anything found is added to the inventory (so
    /// the receipt counts it) and deleted.
    private func verifyGone(_ inventory: inout DeletionInventory, request: DeletionRequest, _ claim: Claim) async throws {
        var prefixes = inventory.scopes.map { $0 + "/" }
        if request.scope == .selfies { prefixes = inventory.orders.flatMap { [PhotoKeys.scope($0) + "/uploads/", PhotoKeys.scope($0) + "/thumbs/"] } }
        for prefix in prefixes {
            let left = try await store.list(prefix: prefix)
            guard !left.isEmpty else { continue }
            let known = Set(inventory.blobs.map(\.key))
            for key in left where !known.contains(key.path) {
                inventory.blobs.append(.init(key: key.path, kind: DeletionInventory.kind(of: key), bytes: try await store.storedSize(of: key) ?? 0))
            }
            try await save(inventory, claim)
            for key in left { try await store.delete(key) }
            let still = try await store.list(prefix: prefix)
            guard still.isEmpty else { throw DeletionIncomplete(prefix: prefix, count: still.count) }
        }
    }

    /// Deletes the rows, writes the receipt and queues the confirmation, in one transaction fenced by the lease.
    private func finish(_ request: DeletionRequest, inventory: DeletionInventory, _ claim: Claim) async throws {
        let now = clock.now()
        let receipt = try DeletionReceipt(request: request, inventory: inventory, completedAt: now, storage: storage)
        let text = try receipt.json()
        let email = request.notifyEmail
        try await db.transaction { tx in
            // First: the lease is still ours (and the row locked until the transaction ends).
            try await leases.fenced(claim, "updated_at = \(bind: now)", on: tx)
            let rows = DeletionRows(db: tx, now: now)
            switch request.scope {
            case .selfies: try await rows.eraseSelfies(of: inventory.orders)
            case .order: try await rows.deleteOrders(inventory.orders, of: request.userID)
            case .account: try await rows.deleteAccount(request.userID, orders: inventory.orders)
            }
            if request.scope != .account, let exports = inventory.exports, !exports.isEmpty {
                // Their files went with the rest: the exports are withdrawn, and say so on the account page.
                try await DataExports.withdraw(of: request.userID, only: exports, because: "deletion \(claim.id.uuidString.lowercased())", at: now, on: tx)
                try await DataExport.query(on: tx).filter(\.$id ~~ exports).set(\.$blobKey, to: nil).update()
            }
            try await leases.finish(claim, status: DeletionStatus.completed.rawValue, """
                completed_at = \(bind: now), receipt = \(bind: text), notify_email = NULL, last_error = NULL
                """, detail: "\(request.scope.rawValue): \(inventory.blobs.count) files", at: now, on: tx)
            if let email {
                try await mail.enqueue(DeletionMail.completed(receipt, to: email, baseURL: baseURL), on: tx)
            }
        }
    }

    private func save(_ inventory: DeletionInventory, _ claim: Claim) async throws {
        let json = String(decoding: try JSONEncoder().encode(inventory), as: UTF8.self)
        try await fenced(claim, "inventory = \(bind: json)")
    }

    /// Puts the request back to wait (a hold, or work on the order), without spending an attempt's backoff.
    private func handBack(_ claim: Claim, after seconds: TimeInterval, reason: String) async throws {
        let now = clock.now()
        try await db.transaction { tx in
            try await leases.finish(claim, status: DeletionStatus.requested.rawValue, "run_at = \(bind: now.addingTimeInterval(seconds))",
                                    detail: "waiting: \(reason)", at: now, on: tx)
        }
        logger.info("deletion \(claim.id) waits: \(reason)")
    }

    private func fenced(_ claim: Claim, _ assignments: SQLQueryString) async throws {
        try await leases.fenced(claim, assignments, on: db)
    }
}

/// Storage still listed files under a prefix after they were deleted (an eventually consistent
/// listing, or a failing backend): the attempt fails and is retried.
package struct DeletionIncomplete: Error, CustomStringConvertible {
    package let prefix: String
    package let count: Int
    package var description: String { "\(count) files still listed under \(prefix) after deletion" }
}
