import FluentKit
import Foundation
import SiteRoutes

/// Share links: one headshot, full size, for anyone with the link, until it expires or is revoked.
package enum Sharing {
    /// Lifetimes offered, in days (never more than a download link's 7-day maximum).
    package static let lifetimes = [1, 7]

    package static func create(asset: GeneratedAsset, user: UUID, days: Int, now: Date, on db: any Database) async throws -> ShareLink {
        guard lifetimes.contains(days) else { throw Failure(.invalid, "A share link lasts 1 or 7 days.") }
        let share = ShareLink(assetID: try asset.requireID(), userID: user, expiresAt: now.addingTimeInterval(TimeInterval(days) * 24 * 3600), at: now)
        try await share.create(on: db)
        return share
    }

    /// The signed path of a share link (signed for its owner, expiring with it).
    package static func path(_ share: ShareLink, links: DownloadLinks) throws -> String {
        links.path(for: DownloadLinks.Grant(subject: .share(try share.requireID()), user: share.$user.id,
                                            expires: Int(share.expiresAt.timeIntervalSince1970)))
    }

    /// The owner's live share links of a headshot, newest first.
    package static func active(asset: UUID, now: Date, on db: any Database) async throws -> [ShareLink] {
        try await ShareLink.query(on: db).filter(\.$asset.$id == asset).filter(\.$revokedAt == nil).filter(\.$expiresAt > now)
            .sort(\.$createdAt, .descending).all()
    }

    /// The live share links of any of these headshots, newest first.
    package static func active(assets: [UUID], now: Date, on db: any Database) async throws -> [ShareLink] {
        guard !assets.isEmpty else { return [] }
        return try await ShareLink.query(on: db).filter(\.$asset.$id ~~ assets).filter(\.$revokedAt == nil).filter(\.$expiresAt > now)
            .sort(\.$createdAt, .descending).all()
    }

    package static func revoke(_ id: UUID, user: UUID, now: Date, on db: any Database) async throws {
        guard let share = try await ShareLink.query(on: db).filter(\.$id == id).filter(\.$user.$id == user).first() else {
            throw Failure.notFound("We couldn't find that share link.")
        }
        share.revokedAt = share.revokedAt ?? now
        try await share.save(on: db)
    }
}
