import Foundation

/// How one style preset looks: its backdrop, its colour grade, and the honest label of what the
/// renderer did to the photo (IPTC Digital Source Type).
public struct StudioLook: Sendable, Equatable {
    public enum Background: Sendable, Equatable {
        /// A drawn studio backdrop: `centre` behind the head falling off to `edge` at the corners (sRGB).
        case backdrop(centre: [Double], edge: [Double])
        /// A drawn office interior, out of focus as behind a portrait lens (never the customer's own surroundings).
        case office
    }

    public let id: String
    public let background: Background
    /// Black and white (L* only).
    public let monochrome: Bool
    /// Shifts of a* and b* after white balance: a preset's colour temperature.
    public let tint: Double
    public let warmth: Double
    /// L* the face is brought to.
    public let faceLightness: Double
    /// Strength of the gentle S tone curve (0 = none).
    public let contrast: Double

    /// Whether the backdrop is dark enough for a rim light to separate the person from it.
    public var darkBackdrop: Bool {
        if monochrome { return true }
        if case .backdrop(let centre, _) = background { return centre.reduce(0, +) / 3 < 100 }
        return false
    }

    /// The IPTC Digital Source Type vocabulary term for the result: a real photo composited onto a
    /// drawn backdrop (a studio backdrop, or a drawn office) is a composite with synthetic elements.
    public var digitalSourceType: String { HeadshotOrigin.studio.digitalSourceType }

    public static let all: [StudioLook] = [
        StudioLook(id: "corporate-grey", background: .backdrop(centre: [150, 153, 157], edge: [86, 89, 94]),
                   monochrome: false, tint: 0, warmth: 0, faceLightness: 62, contrast: 0.25),
        StudioLook(id: "executive-navy", background: .backdrop(centre: [58, 84, 122], edge: [20, 33, 56]),
                   monochrome: false, tint: 0, warmth: -1.5, faceLightness: 61, contrast: 0.3),
        StudioLook(id: "bright-white", background: .backdrop(centre: [250, 250, 250], edge: [222, 223, 225]),
                   monochrome: false, tint: 0, warmth: 1, faceLightness: 66, contrast: 0.15),
        StudioLook(id: "modern-office", background: .office,
                   monochrome: false, tint: 0, warmth: 2.5, faceLightness: 63, contrast: 0.2),
        StudioLook(id: "monochrome-classic", background: .backdrop(centre: [92, 92, 92], edge: [36, 36, 36]),
                   monochrome: true, tint: 0, warmth: 0, faceLightness: 60, contrast: 0.45),
    ]

    public static func named(_ id: String) -> StudioLook? { all.first { $0.id == id } }
}

/// What differs between headshots of one preset, so no two deliveries look alike: the framing,
/// the key light, and the backdrop's own variation.
public struct StudioVariation: Sendable, Equatable {
    public var framing: ShotFraming
    /// Key light from the image's left (+1) or right (−1).
    public var lightSide: Double
    /// A deeper shadow side (a smaller, harder source) instead of open shadows.
    public var contrasty: Bool
    /// Backdrop brightness step, −1…1.
    public var tone: Double
    /// Where the light falls on the backdrop, −1 (left) … 1 (right) of its usual place.
    public var spot: Double
    /// Seeds the backdrop's texture (for Modern Office, the room's layout).
    public var seed: Int

    public init(framing: ShotFraming = .closeUp, lightSide: Double = 1, contrasty: Bool = false, tone: Double = 0,
                spot: Double = 0, seed: Int = 1) {
        self.framing = framing
        self.lightSide = lightSide
        self.contrasty = contrasty
        self.tone = tone
        self.spot = spot
        self.seed = seed
    }

    /// The `n`th variation of a cycle through the framings, light sides and qualities, and backdrop tones.
    public static func number(_ n: Int) -> StudioVariation {
        let framings: [ShotFraming] = [.closeUp, .tight, .tightLeft, .tightRight, .headAndShoulders]
        let tones = [0.0, -1, 1, -0.5, 0.5]
        return StudioVariation(framing: framings[n % framings.count], lightSide: n % 2 == 0 ? 1 : -1, contrasty: (n / 2) % 2 == 1,
                               tone: tones[(n / 2) % tones.count], spot: tones[(n / 3) % tones.count], seed: n + 1)
    }
}
