import Fluent
import Foundation

/// A link to one headshot that its owner chose to share: it works without signing in, until it
/// expires (at most 7 days) or the owner revokes it. The URL is signed like every download link.
public final class ShareLink: Model, @unchecked Sendable {
    public static let schema = "share_links"

    @ID public var id: UUID?
    @Parent(key: "asset_id") public var asset: GeneratedAsset
    @Parent(key: "user_id") public var user: User
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(assetID: UUID, userID: UUID, expiresAt: Date, at date: Date) {
        self.$asset.id = assetID
        self.$user.id = userID
        self.expiresAt = expiresAt
        self.createdAt = date
    }
}
