import Fluent
import Foundation

/// A single-use link token sent by email (password reset, email verification), stored hashed.
public final class OneTimeToken: Model, @unchecked Sendable {
    public static let schema = "user_tokens"

    public enum Purpose: String, Codable, Sendable {
        case passwordReset = "password_reset"
        case emailVerification = "email_verification"
    }

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "purpose") public var purpose: Purpose
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    public init(userID: UUID, purpose: Purpose, tokenHash: String, at time: Date, lifetime: TimeInterval) {
        self.$user.id = userID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.createdAt = time
        self.expiresAt = time.addingTimeInterval(lifetime)
    }
}
