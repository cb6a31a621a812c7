import Fluent
import Foundation

/// A message waiting to be sent, sent, or given up on: the durable mail outbox. Written in the
/// request (or transaction) that decides to send it, drained by the background services with retries,
/// so mail survives a crash or a relay that is down for an hour.
public final class OutgoingMail: Model, @unchecked Sendable {
    public static let schema = "outgoing_mail"

    @ID public var id: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "text_body") public var textBody: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    /// Until when one sender holds the message (a sender that dies lets it go when this passes).
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "claim_token") public var claimToken: UUID?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    /// Set when every attempt failed; `last_error` says why.
    @OptionalField(key: "failed_at") public var failedAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?

    public init() {}

    public init(recipient: String, subject: String, textBody: String, at time: Date) {
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.createdAt = time
        self.attempts = 0
        self.nextAttemptAt = time
    }
}
