import Fluent
import Foundation

/// A completed order's headshots with fresh signed links for each variant.
struct Gallery {
    struct Item {
        let assetID: UUID
        let asset: GeneratedAsset
        /// Its number within its preset, from 1 (for file names such as headshot-corporate-grey-07.jpg).
        let number: Int
        let links: [DownloadVariant: String]

        var id: String { assetID.uuidString.lowercased() }
    }

    let items: [Item]
    /// Signed links to the ZIP of all headshots and of the favourites.
    let bundles: [BundleSelection: String]
    let linksExpire: Date
    /// When retention deletes the headshots (their order's completion plus the retention period).
    let deleteAfter: Date?

    static func load(order: Order, user: UUID, links: DownloadLinks, retention: RetentionPolicy, now: Date,
                     on db: any Database) async throws -> Gallery {
        let orderID = try order.requireID()
        let assets = try await numbered(order: orderID, on: db)
        let items = try assets.map { asset, number in try item(asset, number: number, user: user, links: links, now: now) }
        let bundles = Dictionary(uniqueKeysWithValues: BundleSelection.allCases.map { selection in
            (selection, links.path(for: links.grant(.bundle(order: orderID, selection: selection), user: user, now: now)))
        })
        return Gallery(items: items, bundles: bundles, linksExpire: now.addingTimeInterval(DownloadLinks.lifetime),
                       deleteAfter: order.status == .completed ? order.statusChangedAt.map { retention.headshotDeletion(completedAt: $0) } : nil)
    }

    /// The order's ready headshots in delivery order, each with its number within its preset.
    static func numbered(order: UUID, on db: any Database) async throws -> [(GeneratedAsset, Int)] {
        let assets = try await GeneratedAsset.query(on: db).filter(\.$order.$id == order).filter(\.$status == .ready).sort(\.$sequence).all()
        var counts: [String: Int] = [:]
        return assets.map { asset in
            counts[asset.preset, default: 0] += 1
            return (asset, counts[asset.preset]!)
        }
    }

    /// One headshot with fresh links for every variant.
    static func item(_ asset: GeneratedAsset, number: Int, user: UUID, links: DownloadLinks, now: Date) throws -> Item {
        let id = try asset.requireID()
        let urls = Dictionary(uniqueKeysWithValues: DownloadVariant.allCases.map { variant in
            (variant, links.path(for: links.grant(.headshot(id, variant), user: user, now: now)))
        })
        return Item(assetID: id, asset: asset, number: number, links: urls)
    }

    /// One headshot on its own (numbered as in the gallery), without signing links for the rest.
    static func item(of asset: GeneratedAsset, user: UUID, links: DownloadLinks, now: Date, on db: any Database) async throws -> Item {
        try item(asset, number: try await number(of: asset, on: db), user: user, links: links, now: now)
    }

    /// An asset's number within its preset (for its file name), counted the same way as `load`.
    static func number(of asset: GeneratedAsset, on db: any Database) async throws -> Int {
        try await GeneratedAsset.query(on: db).filter(\.$order.$id == asset.$order.id).filter(\.$preset == asset.preset)
            .filter(\.$status == .ready).filter(\.$sequence <= asset.sequence).count()
    }
}
