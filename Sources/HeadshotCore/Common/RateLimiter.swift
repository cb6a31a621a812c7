import Crypto
import FluentKit
import Foundation

/// Sliding-window rate limits kept in the database, so every process of a scaled-out deployment
/// counts together.
///
/// An action is recorded first and counted after: of any number of requests arriving at once, at
/// most the limit pass, because each one counts every record committed before its own (a refused
/// request takes its record back).
package struct RateLimiter {
    package struct Rule: Sendable {
        package let bucket: String
        package let limit: Int
        package let window: TimeInterval
        /// What the person did too often, for the message ("You've uploaded a lot of photos").
        package let what: String
    }

    /// 60 photos per user per 10 minutes, counted per file (a request carries up to 20): a set is
    /// 8–20 photos, so this leaves room for retakes while bounding what one account can make the
    /// imaging engine do.
    package static let uploads = Rule(bucket: "upload", limit: 60, window: 600, what: "You've uploaded a lot of photos in a short time.")
    /// New accounts from one client address (each costs a bcrypt hash and a mail).
    package static let signUpsPerAddress = Rule(bucket: "signup-ip", limit: 10, window: 3600, what: "Many accounts were created from your network in the last hour.")
    /// Password-reset and confirmation mails asked for from one client address.
    package static let accountMailPerAddress = Rule(bucket: "account-mail-ip", limit: 20, window: 3600, what: "Many emails were requested from your network in the last hour.")
    /// Sign-up, reset and confirmation mails to one mailbox, whoever asks (no mail bombing of a victim).
    package static let accountMailPerRecipient = Rule(bucket: "account-mail-to", limit: 5, window: 3600, what: "We've already sent several emails to this address in the last hour.")

    /// Support requests and contact messages from one client address (each sends mail).
    package static let contactPerAddress = Rule(bucket: "contact-ip", limit: 10, window: 3600, what: "Many messages were sent from your network in the last hour.")

    /// Team mails (invitations, re-sends and reminders) to one mailbox.
    package static let teamMailPerRecipient = Rule(bucket: "team-mail-to", limit: 3, window: 3600, what: "We've already emailed this person several times in the last hour.")

    /// Team mails a paying account's teams may send in a day: a few per seat it bought (and has not
    /// had refunded), wherever they are spent. Invite, revoke and invite again spends the budget, so
    /// one seat cannot send unlimited mail.
    package static func teamMail(seats: Int) -> Rule {
        Rule(bucket: "team-mail-account", limit: teamMailBase + teamMailPerSeat * max(0, seats), window: 86_400,
             what: "Your teams have sent all the invitations and reminders their seats allow today (\(teamMailBase) plus \(teamMailPerSeat) per seat).")
    }
    package static let teamMailBase = 5
    package static let teamMailPerSeat = 3

    /// The longest window of any rule: events older than this are pruned.
    package static let longestWindow: TimeInterval = 86_400

    package let db: any Database

    /// Counts `count` actions, or throws `RateLimited` (with the wait) when they would go over the limit.
    /// Returns the records, so actions reserved and then not taken can be given back (`release`).
    @discardableResult
    package func hit(_ rule: Rule, subject: String, count: Int = 1, at now: Date) async throws -> [UUID] {
        let events = (0..<max(1, count)).map { _ in RateEvent(bucket: rule.bucket, subject: subject, at: now) }
        try await events.create(on: db)
        let ours = events.compactMap(\.id)
        let since = now.addingTimeInterval(-rule.window)
        let others = try await recent(rule, subject: subject, since: since).filter(\.$id !~ ours).count()
        guard others + events.count > rule.limit else { return ours }
        try await RateEvent.query(on: db).filter(\.$id ~~ ours).delete()
        let oldest = try await recent(rule, subject: subject, since: since).sort(\.$createdAt, .ascending).first()?.createdAt ?? now
        let retry = max(1, Int((oldest.addingTimeInterval(rule.window).timeIntervalSince(now)).rounded(.up)))
        throw RateLimited(retryAfter: retry, what: rule.what)
    }

    /// Gives back actions counted by `hit` that were not taken after all.
    package func release(_ records: [UUID]) async throws {
        guard !records.isEmpty else { return }
        try await RateEvent.query(on: db).filter(\.$id ~~ records).delete()
    }

    /// A subject for a mailbox that does not keep the address itself in the rate table.
    package static func subject(email: String) -> String {
        SHA256.hash(data: Data(email.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    package func prune(before now: Date) async throws {
        try await RateEvent.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-Self.longestWindow)).delete()
    }

    private func recent(_ rule: Rule, subject: String, since: Date) -> QueryBuilder<RateEvent> {
        RateEvent.query(on: db).filter(\.$bucket == rule.bucket).filter(\.$subject == subject).filter(\.$createdAt > since)
    }
}

package struct RateLimited: DomainError {
    package let retryAfter: Int
    package let what: String
    package var kind: FailureKind { .tooManyRequests(retryAfter: retryAfter) }
    package var code: String { "rate_limited" }
    package var reason: String {
        let wait = retryAfter < 90 ? "a minute" : "\(retryAfter / 60 + 1) minutes"
        return "\(what) Please wait \(wait) and try again."
    }
}
