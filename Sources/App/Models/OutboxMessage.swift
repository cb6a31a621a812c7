import Fluent
import Foundation

/// A message captured by the development outbox instead of being sent.
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox_messages"

    @ID public var id: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "text_body") public var textBody: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(recipient: String, subject: String, textBody: String, at time: Date) {
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.createdAt = time
    }
}
