import FluentKit
import Foundation

/// One counted action (an upload, say) for a rate limit; pruned once older than every window.
package final class RateEvent: Model, @unchecked Sendable {
    package static let schema = "rate_events"

    @ID package var id: UUID?
    @Field(key: "bucket") package var bucket: String
    @Field(key: "subject") package var subject: String
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(bucket: String, subject: String, at date: Date) {
        self.bucket = bucket
        self.subject = subject
        self.createdAt = date
    }
}
