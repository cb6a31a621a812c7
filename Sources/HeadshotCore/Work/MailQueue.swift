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

    /// Claims and sends the messages due now; returns how many were sent.
    @discardableResult
    package func deliverDue() async throws -> Int {
        let db = try database()
        let sql = try db.sql()
        let now = clock.now()
        if let until = relayDownUntil.withLockedValue({ $0 }), now < until { return 0 }
        let due = try await OutgoingMail.query(on: db).filter(\.$sentAt == nil).filter(\.$failedAt == nil)
            .filter(\.$nextAttemptAt <= now).sort(\.$nextAttemptAt).limit(Self.batch).all()
        var sent = 0
        for message in due where message.claimedUntil.map({ $0 < now }) ?? true {
            let id = try message.requireID(), token = UUID()
            // One statement claims the message: of several senders, exactly one sees its row come back.
            let claimed = try await sql.raw("""
                UPDATE outgoing_mail SET claimed_until = \(bind: now.addingTimeInterval(Self.claimLease)), claim_token = \(bind: token),
                    attempts = attempts + 1
                WHERE id = \(bind: id) AND sent_at IS NULL AND failed_at IS NULL
                    AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                RETURNING attempts
                """).all()
            guard let row = claimed.first else { continue }
            let attempt = try row.decode(column: "attempts", as: Int.self)
            do {
                try await mailer.send(MailMessage(to: message.recipient, subject: message.subject, text: message.textBody), from: sender)
                // The body carried single-use links and the address is personal: neither is kept once delivered.
                var delivered = OutgoingMail.query(on: db).filter(\.$id == id).filter(\.$claimToken == token)
                    .set(\.$sentAt, to: clock.now()).set(\.$claimedUntil, to: nil)
                if !keepsDelivered { delivered = delivered.set(\.$textBody, to: "").set(\.$recipient, to: "") }
                try await delivered.update()
                logger.info("mail sent", metadata: ["subject": .string(message.subject), "attempt": .stringConvertible(attempt)])
                sent += 1
            } catch let error as MailError where error.isRelayUnreachable {
                // The relay is down, not the message at fault: its attempt is given back, and the round stops.
                let retry = clock.now().addingTimeInterval(Self.relayRetry)
                try await OutgoingMail.query(on: db).filter(\.$id == id).filter(\.$claimToken == token)
                    .set(\.$claimedUntil, to: nil).set(\.$attempts, to: attempt - 1).set(\.$nextAttemptAt, to: retry)
                    .set(\.$lastError, to: String("\(error)".prefix(500))).update()
                relayDownUntil.withLockedValue { $0 = retry }
                logger.error("mail relay unreachable; mail stays queued and is tried again in \(Int(Self.relayRetry)) s",
                             metadata: ["error": .string("\(error)")])
                break
            } catch {
                let finished = attempt > Self.backoff.count
                var update = OutgoingMail.query(on: db).filter(\.$id == id).filter(\.$claimToken == token)
                    .set(\.$claimedUntil, to: nil).set(\.$lastError, to: String("\(error)".prefix(500)))
                if finished { update = update.set(\.$failedAt, to: clock.now()) }
                else { update = update.set(\.$nextAttemptAt, to: clock.now().addingTimeInterval(Self.backoff[attempt - 1])) }
                try await update.update()
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
