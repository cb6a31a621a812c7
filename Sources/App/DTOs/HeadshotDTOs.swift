import Foundation
import HeadshotCore
import Vapor

/// One delivered headshot with signed download links (paths on this server, valid 15 minutes,
/// for the caller only; add `&dl=1` for an attachment).
struct HeadshotDTO: Content {
    let id: String
    let number: Int
    let preset: String
    let width: Int
    let height: Int
    let identityDistance: Double?
    let favourite: Bool
    /// How it was made: `studio` (the studio renderer, from the customer's own photo) or `diffusion`
    /// (a GPU model; the file's IPTC DigitalSourceType says trainedAlgorithmicMedia).
    let origin: String
    let links: [String: String]

    init(_ item: Gallery.Item) {
        id = item.id
        number = item.number
        preset = item.asset.preset
        width = item.asset.width
        height = item.asset.height
        identityDistance = item.asset.identityDistance
        favourite = item.asset.favourite
        origin = item.asset.origin.rawValue
        links = Dictionary(uniqueKeysWithValues: item.links.map { ($0.key.rawValue, $0.value) })
    }
}

struct BundleLinkDTO: Content {
    let url: String
    let expiresAt: Date
}

struct HeadshotListDTO: Content {
    let headshots: [HeadshotDTO]
    let linksExpireAt: Date
    let deleteAfter: Date?
}
