import Foundation

/// What a download link hands out for one headshot.
package enum DownloadVariant: String, CaseIterable, Sendable, Codable {
    /// The delivered file at full resolution.
    case full
    /// Square 1:1, 800 px (smaller headshots: their width), for profile pictures.
    case square
    /// 4:5 portrait, 1080 × 1350 (smaller headshots: their own size).
    case portrait
    /// 480 px wide, for the gallery grid (not counted as a download).
    case thumbnail

    /// Longest side each crop is made at; a headshot smaller than that is never enlarged.
    package static let squareSide = 800
    package static let portraitWidth = 1080
    package static let thumbnailWidth = 480

    /// The size of this variant of a headshot of `width` × `height` (4:5): what the file really is.
    package func size(width: Int, height: Int) -> (width: Int, height: Int) {
        func scaled(to target: Int) -> (width: Int, height: Int) {
            let scale = min(1, Double(target) / Double(max(width, 1)))
            return (Int(Double(width) * scale), Int(Double(height) * scale))
        }
        switch self {
        case .full: return (width, height)
        case .square:
            let side = min(Self.squareSide, min(width, height))
            return (side, side)
        case .portrait: return scaled(to: Self.portraitWidth)
        case .thumbnail: return scaled(to: Self.thumbnailWidth)
        }
    }

    /// The label a download link carries, with the size the file really has ("Portrait 1080 × 1350",
    /// or "Portrait 616 × 770" for a headshot made from a smaller photo).
    package func label(width: Int, height: Int) -> String {
        let size = size(width: width, height: height)
        return switch self {
        case .full: "Full size \(size.width) × \(size.height)"
        case .square: "Square \(size.width) px"
        case .portrait: "Portrait \(size.width) × \(size.height)"
        case .thumbnail: "Thumbnail"
        }
    }

    /// `headshot-corporate-grey-07.jpg`, `headshot-corporate-grey-07-square.jpg`…
    package func filename(preset: String, number: Int) -> String {
        let base = "headshot-\(preset)-\(number < 10 ? "0" : "")\(number)"
        return self == .full ? base + ".jpg" : "\(base)-\(rawValue).jpg"
    }

    /// The variants offered for download (the thumbnail only feeds the grid).
    package static let downloadable: [DownloadVariant] = [.full, .square, .portrait]
}

/// Which headshots of an order a ZIP bundle holds.
package enum BundleSelection: String, CaseIterable, Sendable {
    case all
    case favourites
}
