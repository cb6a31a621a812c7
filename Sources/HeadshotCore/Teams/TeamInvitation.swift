import FluentKit
import Foundation

/// An invitation to join a team: personal (one email address, single use, reserving a seat while
/// pending) or an open link (optional email domain, usage cap, expiry). Stored by its token's hash.
package final class TeamInvitation: Model, @unchecked Sendable {
    package static let schema = "team_invitations"

    package enum Kind: String, Codable, Sendable {
        case email, link
    }

    @ID package var id: UUID?
    @Parent(key: "team_id") package var team: Team
    @Field(key: "kind") package var kind: Kind
    /// The invited address (personal invitations), lowercased.
    @OptionalField(key: "email") package var email: String?
    @Field(key: "token_hash") package var tokenHash: String
    @Field(key: "created_by_id") package var createdByID: UUID
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "expires_at") package var expiresAt: Date
    /// Open links: how many people may join through it (nil: no cap), the domain their address must have.
    @OptionalField(key: "max_uses") package var maxUses: Int?
    @OptionalField(key: "allowed_domain") package var allowedDomain: String?
    @Field(key: "uses") package var uses: Int
    @OptionalField(key: "revoked_at") package var revokedAt: Date?
    /// Personal invitations: when and by whom it was accepted (it cannot be used again).
    @OptionalField(key: "accepted_at") package var acceptedAt: Date?
    @OptionalField(key: "accepted_by_id") package var acceptedByID: UUID?
    @OptionalField(key: "last_sent_at") package var lastSentAt: Date?

    package init() {}

    package init(teamID: UUID, kind: Kind, email: String?, tokenHash: String, by userID: UUID, at date: Date, expiresAt: Date) {
        self.$team.id = teamID
        self.kind = kind
        self.email = email
        self.tokenHash = tokenHash
        self.createdByID = userID
        self.createdAt = date
        self.expiresAt = expiresAt
        self.uses = 0
    }

    /// Still usable at `now`: not revoked, not expired, not accepted (personal) or under its cap (link).
    package func isOpen(at now: Date) -> Bool {
        guard revokedAt == nil, expiresAt > now else { return false }
        switch kind {
        case .email: return acceptedAt == nil
        case .link: return maxUses.map { uses < $0 } ?? true
        }
    }
}
