/// What a download link hands out for one headshot.
package enum DownloadVariant: String, CaseIterable, Sendable, Codable {
    /// The delivered file at full resolution.
    case full
    /// Square 1:1, 800 px, for profile pictures.
    case square
    /// 4:5 portrait, 1080 × 1350.
    case portrait
    /// 480 px wide, for the gallery grid (not counted as a download).
    case thumbnail

    var label: String {
        switch self {
        case .full: "Full size"
        case .square: "Square 800 px"
        case .portrait: "Portrait 1080 × 1350"
        case .thumbnail: "Thumbnail"
        }
    }

    /// `headshot-corporate-grey-07.jpg`, `headshot-corporate-grey-07-square.jpg`…
    func filename(preset: String, number: Int) -> String {
        let base = "headshot-\(preset)-\(number < 10 ? "0" : "")\(number)"
        return self == .full ? base + ".jpg" : "\(base)-\(rawValue).jpg"
    }

    /// The variants offered for download (the thumbnail only feeds the grid).
    static let downloadable: [DownloadVariant] = [.full, .square, .portrait]
}

/// Which headshots of an order a ZIP bundle holds.
package enum BundleSelection: String, CaseIterable, Sendable {
    case all
    case favourites
}
