import Fluent
import Foundation

/// One login try, kept for the throttle window. Stored in the database so every web process
/// of a scaled-out deployment sees the same counts.
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "ip") public var ip: String
    @Field(key: "succeeded") public var succeeded: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(email: String, ip: String, succeeded: Bool, at time: Date) {
        self.email = email
        self.ip = ip
        self.succeeded = succeeded
        self.createdAt = time
    }
}
