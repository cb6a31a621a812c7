import FluentKit
import Foundation
import SiteRoutes

/// A completed order's headshots with fresh signed links for each variant.
package struct Gallery: Sendable {
    package struct Item: Sendable {
        package let assetID: UUID
        package let asset: DeliveredHeadshot
        /// Its number within its preset, from 1 (for file names such as headshot-corporate-grey-07.jpg).
        package let number: Int
        package let links: [DownloadVariant: String]
        /// Made by a re-run (shown next to the ones it re-made, marked).
        package var remade = false

        package var id: String { assetID.lowercasedString }
    }

    package let items: [Item]
    /// Signed links to the ZIP of all headshots and of the favourites.
    package let bundles: [BundleSelection: String]
    package let linksExpire: Date
    /// When retention deletes the headshots (their order's completion plus the retention period).
    package let deleteAfter: Date?

    /// Links live `lifetime` from `now` (`GalleryCache` signs them for a little longer than `DownloadLinks.lifetime`).
    package static func load(order: Order, user: UUID, links: DownloadLinks, retention: RetentionPolicy, now: Date,
                     lifetime: TimeInterval, on db: any Database) async throws -> Gallery {
        let orderID = try order.requireID()
        let (assets, reruns) = try await delivery(order: orderID, on: db)
        let items = try assets.map { asset, number in
            var item = try item(asset, number: number, user: user, links: links, now: now, lifetime: lifetime)
            item.remade = asset.jobID.map(reruns.contains) ?? false
            return item
        }
        let bundles = Dictionary(uniqueKeysWithValues: BundleSelection.allCases.map { selection in
            (selection, links.path(for: links.grant(.bundle(order: orderID, selection: selection), user: user, now: now, lifetime: lifetime)))
        })
        return Gallery(items: items, bundles: bundles, linksExpire: now.addingTimeInterval(lifetime),
                       deleteAfter: order.status == .completed ? order.statusChangedAt.map { retention.headshotDeletion(completedAt: $0) } : nil)
    }

    /// The order's ready headshots in delivery order (the order's run, then each re-run), each with
    /// its number within its preset.
    package static func numbered(order: UUID, on db: any Database) async throws -> [(DeliveredHeadshot, Int)] {
        try await delivery(order: order, on: db).assets
    }

    /// The numbered headshots (of one preset only, when given: numbers count within a preset) and the
    /// ids of the order's re-run jobs, from one read of the order's jobs.
    private static func delivery(order: UUID, preset: String? = nil, on db: any Database) async throws
        -> (assets: [(DeliveredHeadshot, Int)], reruns: Set<UUID>) {
        let jobs = try await GenerationJob.query(on: db).filter(\.$order.$id == order).all()
        let started = Dictionary(jobs.compactMap { job in job.id.map { ($0, job.createdAt ?? .distantPast) } }, uniquingKeysWith: min)
        let assets = try await DeliveredHeadshot.ready(order: order, preset: preset, on: db)
            .sorted { a, b in
                let (ja, jb) = (a.jobID.flatMap { started[$0] } ?? .distantPast, b.jobID.flatMap { started[$0] } ?? .distantPast)
                return ja != jb ? ja < jb : a.sequence < b.sequence
            }
        var counts: [String: Int] = [:]
        let numbered = assets.map { asset in
            counts[asset.preset, default: 0] += 1
            return (asset, counts[asset.preset]!)
        }
        return (numbered, Set(jobs.filter { $0.kind == GenerationJob.Kind.rerun }.compactMap(\.id)))
    }

    /// One headshot with fresh links for every variant.
    package static func item(_ asset: DeliveredHeadshot, number: Int, user: UUID, links: DownloadLinks, now: Date,
                     lifetime: TimeInterval = DownloadLinks.lifetime) throws -> Item {
        let urls = Dictionary(uniqueKeysWithValues: DownloadVariant.allCases.map { variant in
            (variant, links.path(for: links.grant(.headshot(asset.id, variant), user: user, now: now, lifetime: lifetime)))
        })
        return Item(assetID: asset.id, asset: asset, number: number, links: urls)
    }

    /// One headshot on its own (numbered as in the gallery), without signing links for the rest.
    package static func item(of asset: GeneratedAsset, user: UUID, links: DownloadLinks, now: Date, on db: any Database) async throws -> Item {
        try item(try DeliveredHeadshot(asset), number: try await number(of: asset, on: db), user: user, links: links, now: now)
    }

    /// An asset's number within its preset (for its file name), counted the same way as `load`.
    package static func number(of asset: GeneratedAsset, on db: any Database) async throws -> Int {
        try await delivery(order: asset.$order.id, preset: asset.preset, on: db).assets.first { $0.0.id == asset.id }?.1 ?? 1
    }
}
