import Fluent
import Foundation

/// One completed download (the whole body was sent): for the download-completion figure and for
/// the refund policy (a refund after downloading is treated differently).
public final class DownloadEvent: Model, @unchecked Sendable {
    public static let schema = "download_events"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Parent(key: "order_id") public var order: Order
    @OptionalField(key: "asset_id") public var assetID: UUID?
    /// "single" or "zip".
    @Field(key: "kind") public var kind: String
    @Field(key: "variant") public var variant: String
    @Field(key: "bytes") public var bytes: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(userID: UUID, orderID: UUID, assetID: UUID?, kind: String, variant: String, bytes: Int, at date: Date) {
        self.$user.id = userID
        self.$order.id = orderID
        self.assetID = assetID
        self.kind = kind
        self.variant = variant
        self.bytes = bytes
        self.createdAt = date
    }
}
