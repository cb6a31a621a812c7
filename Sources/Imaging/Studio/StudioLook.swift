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

    /// This look on a backdrop of `colour` (a team's brand colour): a drawn backdrop takes the colour
    /// behind the head, falling off to a darker shade of it at the corners as the preset's own does
    /// (light colours fall off less, as on a white sweep); Monochrome Classic keeps its black and white
    /// and so shows the colour's lightness. The office is a room, not a backdrop, and stays as it is.
    public func branded(_ colour: BackdropColour?) -> StudioLook {
        guard let colour, case .backdrop = background else { return self }
        let centre = colour.components
        let lightness = centre.reduce(0, +) / 3 / 255
        let falloff = 0.4 + 0.5 * lightness * lightness
        return StudioLook(id: id, background: .backdrop(centre: centre, edge: centre.map { $0 * falloff }), monochrome: monochrome,
                          tint: tint, warmth: warmth, faceLightness: faceLightness, contrast: contrast)
    }
}

/// A backdrop colour in sRGB, written `#rrggbb` (a team's brand colour).
public struct BackdropColour: Sendable, Hashable, CustomStringConvertible {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb` (either case; the `#` is required), or nil.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#"), digits.dropFirst().allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
              let value = UInt32(String(decoding: digits[1...], as: UTF8.self), radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        "#" + [red, green, blue].map { byte in let digits = String(byte, radix: 16); return digits.count == 1 ? "0" + digits : digits }.joined()
    }

    public var description: String { hex }

    var components: [Double] { [Double(red), Double(green), Double(blue)] }
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
