import BlobStorage
import FluentKit
import Foundation
import Imaging
import NIOConcurrencyHelpers

/// The built-in generator: the studio renderer, on this machine's CPU, from the customer's own
/// accepted photos. The order is planned first (`HeadshotPlans`: which photo, framing, light and
/// backdrop each headshot gets, every one a different picture within its style); every output must
/// pass the quality gate, be within the identity threshold of the customer's photos and have no
/// twin in its style, and one that fails is replaced by its style's next spare shot.
package struct StudioGenerator: Generator {
    package static let description = "Studio renderer: your own photos, cut out, lightly retouched, relit and placed on a drawn studio backdrop or office by software on our servers — no generative AI."
    package static var identityThreshold: Double { StudioOrder.identityThreshold }

    package var description: String { Self.description }
    /// The renderer, loaded with the imaging engine the first time a job needs it.
    package let renderer: @Sendable () async throws -> any HeadshotRendering
    package let database: DatabaseProvider
    package let store: any BlobStore

    package init(renderer: @escaping @Sendable () async throws -> any HeadshotRendering, database: DatabaseProvider, store: any BlobStore) {
        self.renderer = renderer
        self.database = database
        self.store = store
    }

    package func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        let db = try database()
        let photos = try await HeadshotPlans.photos(orderID: work.orderID, on: db)
        let references = Self.references(photos.compactMap { $0.upload.faceDescriptor.flatMap(StoredReport.decodeDescriptor) })
        guard !photos.isEmpty, !references.isEmpty else {
            throw GenerationFailure("We could not find the photos you uploaded for this order. Please contact support.", code: "no_photos")
        }
        let plan = try await self.plan(work, photos: photos.map(\.photo), on: db)
        var sources: [StudioSource] = []
        for (number, item) in photos.enumerated() {
            sources.append(StudioSource(id: number, jpeg: try await store.read(try BlobKey(path: item.upload.blobKey))))
        }
        // Headshots past the plan (a package larger than the photos can give) are not made: the
        // customer was told before paying, and the job's total is the plan's.
        let pending = work.pending.filter { $0 < plan.deliverable }
        let order = StudioOrder(renderer: try await renderer(), plan: plan, sources: sources, references: references, backdrop: work.backdrop)
        do {
            _ = try await order.render(pending: pending, earlier: try await earlier(work, plan: plan, on: db)) { delivery in
                try await output.deliver(Headshot(index: delivery.index, preset: delivery.style, jpeg: delivery.headshot.jpeg,
                                                  width: delivery.headshot.width, height: delivery.headshot.height,
                                                  identityDistance: delivery.headshot.identityDistance, shot: delivery.shot.code))
            }
        } catch StudioOrder.Failure.exhausted {
            throw GenerationFailure(
                "We could not make headshots that both pass our quality checks and still look like you from these photos. Support has been told; a refund is available.",
                code: "quality")
        }
    }

    /// The order's plan; for a re-run, the re-made headshots planned from it (its spare shots first).
    private func plan(_ work: GenerationWork, photos: [PlanPhoto], on db: any Database) async throws -> StudioPlan {
        guard work.remake else {
            return StudioPlan(photos: photos, styles: work.presets.map(\.rawValue), count: work.total, seed: HeadshotPlans.seed(work.orderID))
        }
        guard let order = try await Order.find(work.orderID, on: db) else {
            throw GenerationFailure("This order no longer exists.", code: "no_order")
        }
        let original = StudioPlan(photos: photos, styles: StylePreset.chosen(order.presets).map(\.rawValue), count: order.headshotCount ?? 0,
                                  seed: HeadshotPlans.seed(work.orderID))
        let styles = (0..<work.total).compactMap { work.preset(for: $0)?.rawValue }
        return StudioPlan(rerunning: styles, of: original, seed: HeadshotPlans.seed(work.jobID))
    }

    /// What earlier attempts delivered, per style: their shots (not used again) and thumbnails (no twin of them is delivered).
    private func earlier(_ work: GenerationWork, plan: StudioPlan, on db: any Database) async throws
        -> [String: [(shot: StudioShot, likeness: Likeness)]] {
        guard !work.delivered.isEmpty else { return [:] }
        let assets = try await GeneratedAsset.query(on: db).filter(\.$job.$id == work.jobID).all()
        var byStyle: [String: [(shot: StudioShot, likeness: Likeness)]] = [:]
        for asset in assets {
            guard let code = asset.shot, let shot = StudioShot(code: code) else { continue }
            let likeness = try Likeness(jpeg: try await store.read(try BlobKey(path: asset.blobKey)))
            byStyle[asset.preset, default: []].append((shot, likeness))
        }
        return byStyle
    }

    /// The customer's descriptors that agree with each other: a photo whose median distance to the
    /// rest is beyond dlib's same-person distance is left out of the reference.
    package static func references(_ descriptors: [[Float]]) -> [[Float]] {
        guard descriptors.count > 2 else { return descriptors }
        return descriptors.filter { descriptor in
            let distances = descriptors.map { SetEvaluator.distance(descriptor, $0) }.sorted()
            return distances[distances.count / 2] <= 0.6
        }
    }
}
