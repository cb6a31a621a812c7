import BlobStorage
import FluentKit
import Foundation
import Imaging
import SQLKit

/// Whether an order's headshots may be served or linked at all: only a completed order whose
/// entitlement is live. A refund revokes the entitlement, so from then on no download, preview,
/// share link or bundle of the order works, and no fresh link is handed out.
package enum Delivery {
    /// Nil when the headshots may be served; otherwise why not.
    package static func refusal(order: Order, on db: any Database) async throws -> Failure? {
        try await galleryState(order: order, on: db).refusal
    }

    /// `refusal`, and the order's gallery revision (`CreateGalleryRevision`) read in the same query, for
    /// the gallery's cached listing (`GalleryCache`).
    package static func galleryState(order: Order, on db: any Database) async throws -> (refusal: Failure?, revision: Int64) {
        switch order.status {
        case .completed: break
        case .refunded, .deleted: return (refunded, 0)
        default: return (Failure(.conflict, "This order's headshots are not ready yet.", code: "not_ready"), 0)
        }
        let id = try order.requireID()
        let revoked = EntitlementStatus.revoked.rawValue
        let row = try await PreparedReads.rows(GalleryState.self, [id, revoked], on: db).first
        guard let row, try row.decode(column: "live", as: Int.self) > 0 else { return (refunded, 0) }
        return (nil, try row.decode(column: "revision", as: Int64?.self) ?? 0)
    }

    /// Nil when the owner may see the order's delivered headshots as thumbnails: while they are being
    /// made (each one as it is delivered), and afterwards as long as they may be served at all.
    package static func previewRefusal(order: Order, on db: any Database) async throws -> Failure? {
        OrderStatus.beingMade.contains(order.status) ? nil : try await refusal(order: order, on: db)
    }

    /// A headshot's square, portrait or thumbnail crop (the full file is streamed as it is stored).
    /// Crops are image work: they run on the imaging engine's threads, like uploads and renders.
    package static func crop(_ asset: GeneratedAsset, to variant: DownloadVariant, store: any BlobStore, imaging: ImagingService) async throws -> [UInt8] {
        let jpeg = try await store.read(try BlobKey(path: asset.blobKey))
        let origin = asset.origin
        return try await imaging.engine().run { () throws -> [UInt8] in
            switch variant {
            case .square: try HeadshotCrops.square(jpeg, side: DownloadVariant.squareSide, origin: origin)
            case .portrait, .full: try HeadshotCrops.portrait(jpeg, width: DownloadVariant.portraitWidth, origin: origin)
            case .thumbnail: try HeadshotCrops.portrait(jpeg, width: DownloadVariant.thumbnailWidth, origin: origin)
            }
        }
    }

    package static func require(_ order: Order, on db: any Database) async throws {
        if let refusal = try await refusal(order: order, on: db) { throw refusal }
    }

    /// Whether the order with this id may be served (for links that name only an asset).
    package static func isLive(orderID: UUID, on db: any Database) async throws -> Bool {
        guard let order = try await Order.find(orderID, on: db) else { return false }
        return try await refusal(order: order, on: db) == nil
    }

    package static let refunded = Failure(.gone, "These headshots are no longer available: the order was refunded or deleted.", code: "headshots_unavailable")
}

/// `Delivery.galleryState`'s read: whether the order is still served, and its gallery's revision.
private enum GalleryState: PreparedRead {
    package static let name = "gallery_state"
    package static let sql = """
        SELECT (SELECT COUNT(*) FROM "\(Entitlement.schema)" WHERE order_id = $1 AND status <> $2) AS live,
               (SELECT revision FROM gallery_revisions WHERE order_id = $1) AS revision
        """
}
