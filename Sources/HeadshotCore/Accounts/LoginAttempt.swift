import FluentKit
import Foundation

/// One login try, kept for the throttle window. Stored in the database so every web process
/// of a scaled-out deployment sees the same counts.
package final class LoginAttempt: Model, @unchecked Sendable {
    package static let schema = "login_attempts"

    @ID package var id: UUID?
    @Field(key: "email") package var email: String
    @Field(key: "ip") package var ip: String
    @Field(key: "succeeded") package var succeeded: Bool
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(email: String, ip: String, succeeded: Bool, at time: Date) {
        self.email = email
        self.ip = ip
        self.succeeded = succeeded
        self.createdAt = time
    }
}
