import FluentKit
import Foundation

/// One completed download (the whole body was sent): for the download-completion figure and for
/// the refund policy (a refund after downloading is treated differently).
package final class DownloadEvent: Model, @unchecked Sendable {
    package static let schema = "download_events"

    @ID package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Parent(key: "order_id") package var order: Order
    @OptionalField(key: "asset_id") package var assetID: UUID?
    /// "single" or "zip".
    @Field(key: "kind") package var kind: String
    @Field(key: "variant") package var variant: String
    @Field(key: "bytes") package var bytes: Int
    @Field(key: "created_at") package var createdAt: Date

    package init() {}

    package init(userID: UUID, orderID: UUID, assetID: UUID?, kind: String, variant: String, bytes: Int, at date: Date) {
        self.$user.id = userID
        self.$order.id = orderID
        self.assetID = assetID
        self.kind = kind
        self.variant = variant
        self.bytes = bytes
        self.createdAt = date
    }
}
