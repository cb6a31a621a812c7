import FluentKit
import Foundation

/// A link to one headshot that its owner chose to share: it works without signing in, until it
/// expires (at most 7 days) or the owner revokes it. The URL is signed like every download link.
package final class ShareLink: Model, @unchecked Sendable {
    package static let schema = "share_links"

    @ID package var id: UUID?
    @Parent(key: "asset_id") package var asset: GeneratedAsset
    @Parent(key: "user_id") package var user: User
    @Field(key: "expires_at") package var expiresAt: Date
    @OptionalField(key: "revoked_at") package var revokedAt: Date?
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(assetID: UUID, userID: UUID, expiresAt: Date, at date: Date) {
        self.$asset.id = assetID
        self.$user.id = userID
        self.expiresAt = expiresAt
        self.createdAt = date
    }
}
