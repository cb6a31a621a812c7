import FluentKit
import Foundation
import Imaging

/// The studio plan of an order, worked out the same way before payment (to say honestly how many
/// different headshots the photos can give) and by the generator (to render them): from the
/// order's accepted photos, best first, their sizes and face boxes as the quality gate found them.
package enum HeadshotPlans {
    /// The accepted photos the plan draws on, best quality first, with what the plan knows of each.
    package static func photos(orderID: UUID, on db: any Database) async throws -> [(upload: UploadAsset, photo: PlanPhoto, report: PhotoReport)] {
        let uploads = try await UploadAsset.query(on: db).filter(\.$order.$id == orderID).filter(\.$status == .accepted)
            .sort(\.$qualityScore, .descending).sort(\.$createdAt).sort(\.$id).all()
        return uploads.compactMap { upload in
            guard let report = StoredReport.decode(upload.findings, descriptor: nil), let photo = PlanPhoto(report: report) else { return nil }
            return (upload, photo, report)
        }
    }

    /// `count` headshots in `presets` from the order's accepted photos.
    package static func plan(orderID: UUID, presets: [String], count: Int, on db: any Database) async throws -> StudioPlan {
        StudioPlan(photos: try await photos(orderID: orderID, on: db).map(\.photo), styles: presets, count: count, seed: seed(orderID))
    }

    /// The same for every working-out of one order's plan, different between orders.
    package static func seed(_ orderID: UUID) -> UInt64 {
        withUnsafeBytes(of: orderID.uuid) { raw in raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) ^ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
    }
}

/// What an order's accepted photos can give, before styles and a package are chosen: the same
/// figures the plan is made from, in the form the checkout and the order page state them.
package struct PlanCapacity: Sendable, Equatable {
    /// Accepted photos the plan can frame.
    package let photos: Int
    /// Different pictures one style can have from them.
    package let distinctPerStyle: Int
    /// Photos too small for portrait-size headshots (their upload check warned so).
    package var smallPhotos = 0

    package static func of(orderID: UUID, on db: any Database) async throws -> PlanCapacity {
        let photos = try await HeadshotPlans.photos(orderID: orderID, on: db)
        let small = photos.filter { $0.report.finding(.lowResolution)?.verdict == .warn }.count
        return PlanCapacity(photos: photos.count, distinctPerStyle: photos.map(\.photo.framings.count).reduce(0, +), smallPhotos: small)
    }

    /// Said beside the plan when some photos give smaller headshots; nil when all give full size.
    package var sizeSentence: String? {
        guard smallPhotos > 0 else { return nil }
        let size = "our portrait size (\(PhotoChecks.portraitSize.width) × \(PhotoChecks.portraitSize.height))"
        return smallPhotos == 1 ? "Headshots from 1 of your photos will be smaller than \(size); its check says how to get a bigger one."
            : "Headshots from \(smallPhotos) of your photos will be smaller than \(size); their checks say how to get bigger ones."
    }

    package func deliverable(count: Int, styles: Int) -> Int {
        StudioPlan.deliverable(count: count, styles: styles, distinctPerStyle: distinctPerStyle)
    }

    package func photosToAdd(count: Int, styles: Int) -> Int {
        StudioPlan.photosToAdd(count: count, styles: styles, photos: photos, distinctPerStyle: distinctPerStyle)
    }

    /// The fewest styles (up to `maxStyles`) with which all `count` headshots are different pictures; nil if none.
    package func stylesForAll(count: Int, maxStyles: Int) -> Int? {
        (1...max(maxStyles, 1)).first { deliverable(count: count, styles: $0) >= count }
    }

    /// What one package gives from these photos, in a sentence for the checkout.
    package func sentence(count: Int, maxStyles: Int) -> String {
        let size = sizeSentence.map { " " + $0 } ?? ""
        if let styles = stylesForAll(count: count, maxStyles: maxStyles) {
            return (styles == 1 ? "All \(count) different from your photos, in any styles you choose."
                : "All \(count) different from your photos when you choose at least \(styles) styles.") + size
        }
        let most = deliverable(count: count, styles: maxStyles)
        return "Your photos give \(most) different headshots in \(maxStyles) styles; add \(photosToAdd(count: count, styles: maxStyles)) more photos for all \(count)." + size
    }
}
