import Fluent
import Foundation

/// A signed-in browser. The cookie carries a random token; only its SHA-256 is stored,
/// so a copy of the database cannot be used to sign in.
public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @OptionalField(key: "ip") public var ip: String?
    @OptionalField(key: "user_agent") public var userAgent: String?

    public init() {}

    public init(userID: UUID, tokenHash: String, at time: Date, ip: String?, userAgent: String?) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.createdAt = time
        self.lastSeenAt = time
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(255)) }
    }
}
