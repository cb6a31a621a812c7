import FluentKit
import Foundation
import Mail
import NIOConcurrencyHelpers
import SQLKit

/// Outgoing mail, durable: `enqueue` writes the message to `outgoing_mail` (inside the caller's
/// transaction when there is one), and the sender delivers due messages through the `Mailer`, right
/// after they are queued and every few seconds from the background services. A message the relay
/// refuses is retried with backoff; while the relay cannot be reached at all, every minute.
/// Any number of processes may send at once: each message is claimed by one of them with a lease.
/// Requests never wait for the relay, so the time a request takes does not tell whether mail was sent.
package final class MailQueue: Sendable {
    /// Waits before the 2nd, 3rd, … attempt; after the last one the message is marked failed.
    package static let backoff: [TimeInterval] = [30, 120, 600, 1800, 3600, 7200, 14400]
    package static let claimLease: TimeInterval = 120
    package static let batch = 20
    /// While the relay cannot be reached, this process tries again this often; the messages keep their
    /// attempts (an outage is not their fault), so mail queued during it goes out within this much of
    /// the relay's return, however long the outage was.
    package static let relayRetry: TimeInterval = 60

    private let database: DatabaseProvider
    private let mailer: any Mailer
    private let sender: String
    private let clock: any WallClock
    private let logger: Logger
    /// Deliveries started right after an enqueue; shutdown and tests wait for them.
    private let kicks = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])
    /// Set when the relay could not be reached: rounds before then send nothing.
    private let relayDownUntil = NIOLockedValueBox<Date?>(nil)
    /// Whether a delivered message keeps its recipient and body: only where delivery is the development
    /// mailbox (`DevMailer`), whose page shows the rows; mail that really left is blanked once sent.
    private var keepsDelivered: Bool { mailer is DevMailer }

    package init(database: DatabaseProvider, mailer: any Mailer, sender: String, clock: any WallClock, logger: Logger) {
        self.database = database
        self.mailer = mailer
        self.sender = sender
        self.clock = clock
        self.logger = logger
    }

    /// Keeps the message for delivery and starts delivering at once. Mail written inside a transaction
    /// goes out once it commits (the next round at the latest, should the transaction take longer).
    package func enqueue(_ message: MailMessage, on db: any Database) async throws {
        let mail = OutgoingMail(recipient: message.to, subject: message.subject, textBody: message.text, at: clock.now())
        try await mail.create(on: db)
        kick(after: db.inTransaction ? mail.id : nil)
    }

    /// Delivers what is due in a task of its own (the request that queued it does not wait). A message
    /// written in a transaction is invisible to the sender's connection until it commits: the round
    /// waits for it first (a bounded wait), or it would find nothing and the mail would wait a round.
    private func kick(after pending: UUID? = nil) {
        let id = UUID()
        kicks.withLockedValue { tasks in
            tasks[id] = Task { [weak self] in
                guard let self else { return }
                if let pending { await self.waitUntilCommitted(pending) }
                do { _ = try await self.deliverDue() } catch { self.logger.error("mail delivery round failed: \(error)") }
                _ = self.kicks.withLockedValue { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits up to 5 s for a message written in a transaction to be visible (committed); a rolled-back
    /// one never is, and the round then finds nothing of it.
    private func waitUntilCommitted(_ id: UUID) async {
        for _ in 0..<100 {
            if let db = try? database(), (try? await OutgoingMail.find(id, on: db)) != nil { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The mail table under the lease engine: the message due first goes first; a sender that died lets
    /// its message go when the lease runs out. Messages marked sent or given up on are never taken.
    package static let table = Lease.Table(name: OutgoingMail.schema, waiting: [OutgoingMail.Status.queued.rawValue],
                                           leased: OutgoingMail.Status.sending.rawValue, reclaimsExpired: true, order: "d.run_at ASC")
    private static let leases = Lease(table, duration: claimLease)
    /// Who claims the messages this process sends.
    private static let worker = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-mail"

    /// Claims and sends the messages due now, up to a batch; returns how many were sent.
    @discardableResult
    package func deliverDue() async throws -> Int {
        let sql = try database().sql()
        let now = clock.now()
        if let until = relayDownUntil.withLockedValue({ $0 }), now < until { return 0 }
        let eligible: SQLQueryString = "d.sent_at IS NULL AND d.failed_at IS NULL"
        // Most rounds find nothing to send: they only read (a claim would take SQLite's write lock).
        guard try await Self.leases.hasDue(now: now, eligible: eligible, on: sql) else { return 0 }
        var sent = 0
        for _ in 0..<Self.batch {
            // One statement claims the message: of several senders, exactly one sees its row come back.
            guard let (claim, row) = try await Self.leases.claim(by: Self.worker, now: now, eligible: eligible,
                                                                  returning: "id, attempts, recipient, subject, text_body", on: sql) else { break }
            let message = MailMessage(to: try row.decode(column: "recipient", as: String.self), subject: try row.decode(column: "subject", as: String.self),
                                      text: try row.decode(column: "text_body", as: String.self))
            let attempt = claim.attempt
            do {
                try await mailer.send(message, from: sender)
                // The body carried single-use links and the address is personal: neither is kept once delivered.
                let delivered = clock.now()
                let forget: SQLQueryString = keepsDelivered ? "sent_at = \(bind: delivered)" : "sent_at = \(bind: delivered), text_body = '', recipient = ''"
                try await Self.leases.end(claim, status: OutgoingMail.Status.sent.rawValue, set: forget, now: delivered, on: sql)
                logger.info("mail sent", metadata: ["subject": .string(message.subject), "attempt": .stringConvertible(attempt)])
                sent += 1
            } catch let error as MailError where error.isRelayUnreachable {
                // The relay is down, not the message at fault: its attempt is given back, and the round stops.
                let retry = clock.now().addingTimeInterval(Self.relayRetry)
                try await Self.leases.end(claim, status: OutgoingMail.Status.queued.rawValue, set: """
                    attempts = \(bind: attempt - 1), run_at = \(bind: retry), last_error = \(bind: String("\(error)".prefix(500)))
                    """, now: clock.now(), on: sql)
                relayDownUntil.withLockedValue { $0 = retry }
                logger.error("mail relay unreachable; mail stays queued and is tried again in \(Int(Self.relayRetry)) s",
                             metadata: ["error": .string("\(error)")])
                break
            } catch {
                let finished = attempt > Self.backoff.count, at = clock.now()
                let reason = String("\(error)".prefix(500))
                if finished {
                    try await Self.leases.end(claim, status: OutgoingMail.Status.failed.rawValue,
                                              set: "failed_at = \(bind: at), last_error = \(bind: reason)", now: at, on: sql)
                } else {
                    try await Self.leases.end(claim, status: OutgoingMail.Status.queued.rawValue,
                                              set: "run_at = \(bind: at.addingTimeInterval(Self.backoff[attempt - 1])), last_error = \(bind: reason)",
                                              now: at, on: sql)
                }
                logger.error("mail delivery failed", metadata: ["attempt": .stringConvertible(attempt), "gave up": .stringConvertible(finished),
                                                                "error": .string("\(error)")])
            }
        }
        return sent
    }

    /// Forgets messages sent or given up on more than `keep` ago (run by maintenance).
    package static func prune(before cutoff: Date, on db: any Database) async throws {
        try await OutgoingMail.query(on: db).group(.or) { group in
            group.filter(\.$sentAt < cutoff)
            group.filter(\.$failedAt < cutoff)
        }.delete()
    }

    /// Waits for the deliveries started so far (at shutdown: what is left stays queued in the table).
    package func finishDeliveries() async {
        while true {
            let tasks = kicks.withLockedValue { Array($0.values) }
            if tasks.isEmpty { break }
            for task in tasks { await task.value }
        }
    }

    /// Waits for the deliveries started so far, then sends whatever is still due (tests, tools).
    package func drain() async {
        await finishDeliveries()
        do {
            while try await deliverDue() > 0 {}
        } catch {
            logger.error("mail delivery round failed: \(error)")
        }
    }
}
