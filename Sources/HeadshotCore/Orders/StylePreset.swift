import Foundation
import SiteRoutes
/// The five looks the studio renderer makes. They are code, not data: each is implemented by the
/// renderer, so adding one means writing its renderer stage.
package enum StylePreset: String, CaseIterable, Codable, Sendable {
    case corporateGrey = "corporate-grey"
    case executiveNavy = "executive-navy"
    case brightWhite = "bright-white"
    case modernOffice = "modern-office"
    case monochromeClassic = "monochrome-classic"

    package var name: String {
        switch self {
        case .corporateGrey: "Corporate Grey"
        case .executiveNavy: "Executive Navy"
        case .brightWhite: "Bright White"
        case .modernOffice: "Modern Office"
        case .monochromeClassic: "Monochrome Classic"
        }
    }

    /// Drawn on a studio backdrop (which a team's brand colour paints), not in a room.
    package var drawnBackdrop: Bool { self != .modernOffice }

    package var summary: String {
        switch self {
        case .corporateGrey: "Grey seamless studio backdrop with soft, flattering light."
        case .executiveNavy: "Dark navy gradient and crisper contrast for a confident look."
        case .brightWhite: "High-key white backdrop, clean and friendly."
        case .modernOffice: "A drawn, out-of-focus office behind you — window light, shelves, plants — with a warm grade. Never your own surroundings."
        case .monochromeClassic: "Classic black and white on a charcoal backdrop."
        }
    }

    /// A real render in this style by the studio renderer (`make samples`), of a public-domain NASA
    /// portrait: never a stock image, and never a photo of a customer.
    package var exampleImage: String { SiteURL.asset(.presetExample(rawValue)).path }

    /// More renders of the same portrait in this style, as one order varies it: other framings, light and backdrop.
    package static let variantFramings = ["tight", "tight-left"]

    package var exampleVariants: [(path: String, label: String)] {
        Self.variantFramings.map { framing in
            (SiteURL.asset(.presetExample(rawValue + "-" + framing)).path,
             framing == "tight" ? "Tight close-up, light from the other side" : "Close-up with space on the left")
        }
    }

    /// Says where the example images come from, wherever they are shown.
    package static let exampleCredit = "Examples: a public-domain NASA portrait (astronaut Eileen Collins), rendered by our studio renderer exactly as your photos will be."

    /// Parses a stored or submitted list, keeping known codes once each, in catalogue order.
    package static func list(_ codes: [String]) -> [StylePreset] {
        allCases.filter { codes.contains($0.rawValue) }
    }

    /// An order's chosen presets as stored ("a,b,c"), in catalogue order.
    package static func chosen(_ stored: String?) -> [StylePreset] {
        list((stored ?? "").split(separator: ",").map(String.init))
    }
}

/// What we tell people before they pay, and the version stored with their consent. The retention
/// periods come from the deployment's `RetentionPolicy`, so the text is what the retention worker does.
package enum ConsentPolicy {
    package static let version = "2026-11-27.2"

    package static func points(_ retention: RetentionPolicy) -> [String] {
        [
            "We process the photos you upload and the geometry of your face in them (face position, landmarks and a face descriptor) to check your photos and to make your headshots. This is biometric data. The landmarks are used while a photo is checked and never stored.",
            "We use them only to make and deliver your headshots, and to check that every headshot still looks like you.",
            retention.selfieSentence + " " + retention.headshotSentence,
            "Removing a photo before you pay deletes it and its face data at once.",
            "You can delete this order's selfies, the whole order, or your account yourself at any time (\(Deletions.promise)), and you get a receipt as proof.",
        ]
    }
}
