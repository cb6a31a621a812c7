import Foundation

/// How one style preset looks: its backdrop, its colour grade, and the honest label of what the
/// renderer did to the photo (IPTC Digital Source Type).
public struct StudioLook: Sendable, Equatable {
    public enum Background: Sendable, Equatable {
        /// A drawn studio backdrop: `centre` behind the head falling off to `edge` at the corners (sRGB).
        case backdrop(centre: [Double], edge: [Double])
        /// The person's own surroundings, strongly blurred like a wide-open lens.
        case ownBlurred
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

    /// The IPTC Digital Source Type vocabulary term for the result: a real photo composited onto a
    /// drawn backdrop is a composite with synthetic elements; a photo kept in its own surroundings
    /// and only relit, retouched and blurred is algorithmically enhanced.
    public var digitalSourceType: String {
        switch background {
        case .backdrop: "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic"
        case .ownBlurred: "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicallyEnhanced"
        }
    }

    public static let all: [StudioLook] = [
        StudioLook(id: "corporate-grey", background: .backdrop(centre: [150, 153, 157], edge: [86, 89, 94]),
                   monochrome: false, tint: 0, warmth: 0, faceLightness: 62, contrast: 0.25),
        StudioLook(id: "executive-navy", background: .backdrop(centre: [58, 84, 122], edge: [20, 33, 56]),
                   monochrome: false, tint: 0, warmth: -1.5, faceLightness: 61, contrast: 0.3),
        StudioLook(id: "bright-white", background: .backdrop(centre: [250, 250, 250], edge: [222, 223, 225]),
                   monochrome: false, tint: 0, warmth: 1, faceLightness: 66, contrast: 0.15),
        StudioLook(id: "modern-office", background: .ownBlurred,
                   monochrome: false, tint: 0, warmth: 2.5, faceLightness: 63, contrast: 0.2),
        StudioLook(id: "monochrome-classic", background: .backdrop(centre: [92, 92, 92], edge: [36, 36, 36]),
                   monochrome: true, tint: 0, warmth: 0, faceLightness: 60, contrast: 0.45),
    ]

    public static func named(_ id: String) -> StudioLook? { all.first { $0.id == id } }
}

/// What differs between headshots of one preset, so no two deliveries look alike.
public struct StudioVariation: Sendable, Equatable {
    /// The head's share of the frame height (about one half; smaller is looser).
    public var headShare: Double
    /// Key light from the image's left (+1) or right (−1).
    public var lightSide: Double
    /// Backdrop brightness step, −1…1.
    public var tone: Double
    /// Seeds the backdrop's grain.
    public var seed: Int

    public init(headShare: Double = 0.5, lightSide: Double = 1, tone: Double = 0, seed: Int = 1) {
        self.headShare = headShare
        self.lightSide = lightSide
        self.tone = tone
        self.seed = seed
    }

    /// The `n`th variation of a cycle that changes crop, light and tone together.
    public static func number(_ n: Int) -> StudioVariation {
        let shares = [0.5, 0.44, 0.56, 0.47, 0.53]
        let tones = [0.0, -1, 1, -0.5, 0.5]
        return StudioVariation(headShare: shares[n % shares.count], lightSide: n % 2 == 0 ? 1 : -1,
                               tone: tones[(n / 2) % tones.count], seed: n + 1)
    }
}
