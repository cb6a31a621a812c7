import Fluent
import Foundation

/// A completed order's headshots with fresh signed links for each variant.
struct Gallery {
    struct Item {
        let asset: GeneratedAsset
        /// Its number within its preset, from 1 (for file names such as headshot-corporate-grey-07.jpg).
        let number: Int
        let links: [DownloadVariant: String]

        var id: String { asset.id?.uuidString.lowercased() ?? "" }
    }

    let items: [Item]
    let linksExpire: Date
    /// When retention deletes the headshots (the earliest of them).
    let deleteAfter: Date?

    static func load(order: Order, user: UUID, links: DownloadLinks, now: Date, on db: any Database) async throws -> Gallery {
        let assets = try await GeneratedAsset.query(on: db).filter(\.$order.$id == order.requireID()).filter(\.$status == .ready)
            .sort(\.$sequence).all()
        var counts: [String: Int] = [:]
        let expiry = now.addingTimeInterval(DownloadLinks.lifetime)
        let items = try assets.map { asset -> Item in
            counts[asset.preset, default: 0] += 1
            let id = try asset.requireID()
            let urls = Dictionary(uniqueKeysWithValues: DownloadVariant.allCases.map { variant in
                (variant, links.path(for: links.grant(asset: id, user: user, variant: variant, now: now)))
            })
            return Item(asset: asset, number: counts[asset.preset]!, links: urls)
        }
        return Gallery(items: items, linksExpire: expiry, deleteAfter: assets.compactMap(\.expiresAt).min())
    }

    /// An asset's number within its preset (for its file name), counted the same way as `load`.
    static func number(of asset: GeneratedAsset, on db: any Database) async throws -> Int {
        try await GeneratedAsset.query(on: db).filter(\.$order.$id == asset.$order.id).filter(\.$preset == asset.preset)
            .filter(\.$status == .ready).filter(\.$sequence <= asset.sequence).count()
    }
}
