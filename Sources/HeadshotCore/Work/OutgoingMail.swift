import FluentKit
import Foundation

/// A message waiting to be sent, sent, or given up on: the durable mail outbox. Written in the
/// request (or transaction) that decides to send it, drained by the background services with retries,
/// so mail survives a crash or a relay that is down for an hour.
package final class OutgoingMail: Model, @unchecked Sendable {
    package static let schema = "outgoing_mail"

    @ID package var id: UUID?
    @Field(key: "recipient") package var recipient: String
    @Field(key: "subject") package var subject: String
    @Field(key: "text_body") package var textBody: String
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "status") package var status: Status
    @Field(key: "attempts") package var attempts: Int
    /// When the message is due (its next attempt).
    @Field(key: "run_at") package var runAt: Date
    /// Until when one sender holds the message (a sender that dies lets it go when this passes).
    @OptionalField(key: "lease_expires_at") package var leaseExpiresAt: Date?
    @OptionalField(key: "lease_token") package var leaseToken: UUID?
    @OptionalField(key: "lease_owner") package var leaseOwner: String?
    @OptionalField(key: "sent_at") package var sentAt: Date?
    /// Set when every attempt failed; `last_error` says why.
    @OptionalField(key: "failed_at") package var failedAt: Date?
    @OptionalField(key: "last_error") package var lastError: String?
    @OptionalField(key: "status_changed_at") package var statusChangedAt: Date?
    @OptionalField(key: "updated_at") package var updatedAt: Date?

    /// Waiting (a new message or one that failed an attempt), held by a sender, delivered, given up on.
    package enum Status: String, Codable, Sendable {
        case queued, sending, sent, failed
    }

    package init() {}

    package init(recipient: String, subject: String, textBody: String, at time: Date) {
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.createdAt = time
        self.status = .queued
        self.attempts = 0
        self.runAt = time
        self.statusChangedAt = time
        self.updatedAt = time
    }
}

extension OutgoingMail {
    /// The newest `limit` messages, newest first (the development outbox page).
    package static func latest(_ limit: Int, on db: any Database) async throws -> [OutgoingMail] {
        try await OutgoingMail.query(on: db).sort(\.$createdAt, .descending).limit(limit).all()
    }
}
