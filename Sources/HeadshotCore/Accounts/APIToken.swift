import FluentKit
import Foundation

/// A personal access token for the JSON API (`Authorization: Bearer hs_…`), stored hashed.
package final class APIToken: Model, @unchecked Sendable {
    package static let schema = "api_tokens"

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    package enum Kind: String, Codable, Sendable {
        /// Created by the user on the account page; survives password changes.
        case personal
        /// Issued by the API's log-in call: an API session, revoked with the browser sessions.
        case login
        /// Created by a team's manager on the team page: only that team's manager actions (`TeamTokenScope`).
        case team
    }

    @Field(key: "kind") package var kind: Kind
    /// The team a team token is for (nil for the others).
    @OptionalField(key: "team_id") package var teamID: UUID?
    @Field(key: "name") package var name: String
    @Field(key: "token_hash") package var tokenHash: String
    /// The first characters of the token, shown in the account page to tell tokens apart.
    @Field(key: "token_prefix") package var tokenPrefix: String
    @Field(key: "created_at") package var createdAt: Date
    @OptionalField(key: "last_used_at") package var lastUsedAt: Date?
    @OptionalField(key: "expires_at") package var expiresAt: Date?
    @OptionalField(key: "revoked_at") package var revokedAt: Date?

    package init() {}

    package init(userID: UUID, kind: Kind, name: String, tokenHash: String, tokenPrefix: String, at time: Date, expiresAt: Date?) {
        self.$user.id = userID
        self.kind = kind
        self.name = name
        self.tokenHash = tokenHash
        self.tokenPrefix = tokenPrefix
        self.createdAt = time
        self.expiresAt = expiresAt
    }
}
