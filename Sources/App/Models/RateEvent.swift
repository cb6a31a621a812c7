import Fluent
import Foundation

/// One counted action (an upload, say) for a rate limit; pruned once older than every window.
public final class RateEvent: Model, @unchecked Sendable {
    public static let schema = "rate_events"

    @ID public var id: UUID?
    @Field(key: "bucket") public var bucket: String
    @Field(key: "subject") public var subject: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(bucket: String, subject: String, at date: Date) {
        self.bucket = bucket
        self.subject = subject
        self.createdAt = date
    }
}
