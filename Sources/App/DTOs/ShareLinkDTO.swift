import Foundation
import HeadshotCore
import Vapor

/// A share link of a headshot, as the API and the pages show it.
package struct ShareLinkDTO: Content {
    package let id: String
    package let url: String
    package let expiresAt: Date

    package init(_ share: ShareLink, baseURL: URL, links: DownloadLinks) throws {
        id = try share.requireID().uuidString.lowercased()
        url = baseURL.absoluteString.trimmingSuffix("/") + (try Sharing.path(share, links: links))
        expiresAt = share.expiresAt
    }
}
