import FluentKit
import Foundation

/// A single-use link token sent by email (password reset, email verification), stored hashed.
package final class OneTimeToken: Model, @unchecked Sendable {
    package static let schema = "user_tokens"

    package enum Purpose: String, Codable, Sendable {
        case passwordReset = "password_reset"
        case emailVerification = "email_verification"
    }

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Field(key: "purpose") package var purpose: Purpose
    @Field(key: "token_hash") package var tokenHash: String
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "expires_at") package var expiresAt: Date
    @OptionalField(key: "used_at") package var usedAt: Date?

    package init() {}

    package init(userID: UUID, purpose: Purpose, tokenHash: String, at time: Date, lifetime: TimeInterval) {
        self.$user.id = userID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.createdAt = time
        self.expiresAt = time.addingTimeInterval(lifetime)
    }
}
