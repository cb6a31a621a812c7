import FluentKit
import Foundation

/// A signed-in browser. The cookie carries a random token; only its SHA-256 is stored,
/// so a copy of the database cannot be used to sign in.
package final class UserSession: Model, @unchecked Sendable {
    package static let schema = "sessions"

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Field(key: "token_hash") package var tokenHash: String
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "last_seen_at") package var lastSeenAt: Date
    @OptionalField(key: "revoked_at") package var revokedAt: Date?
    @OptionalField(key: "ip") package var ip: String?
    @OptionalField(key: "user_agent") package var userAgent: String?

    package init() {}

    package init(userID: UUID, tokenHash: String, at time: Date, ip: String?, userAgent: String?) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.createdAt = time
        self.lastSeenAt = time
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(255)) }
    }
}
