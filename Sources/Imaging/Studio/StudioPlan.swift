import Foundation

/// How much of the person a headshot shows and where it puts them, as a photographer varies it in
/// one sitting. Every framing is 4:5; they differ in the head's share of the frame and where the
/// eyes sit across it.
public enum ShotFraming: String, CaseIterable, Sendable, Codable {
    case closeUp = "close-up"
    /// A close-up with the person to the right: space on the left (for a name, a quote, a slide's text).
    case closeUpLeft = "close-up-left"
    case closeUpRight = "close-up-right"
    /// Closer still: the face fills the frame.
    case tight = "tight"
    case tightLeft = "tight-left"
    case tightRight = "tight-right"
    case headAndShoulders = "head-and-shoulders"
    case halfLength = "half-length"
    /// Looser, the person to the right: space on the left for a banner's or a slide's text.
    case wideLeft = "wide-left"
    case wideRight = "wide-right"

    /// The head's share of the frame's height (crown to chin), as planned.
    var headShare: Double {
        switch self {
        case .closeUp, .closeUpLeft, .closeUpRight: 0.58
        case .tight, .tightLeft, .tightRight: 0.70
        case .headAndShoulders: 0.46
        case .halfLength: 0.34
        case .wideLeft, .wideRight: 0.38
        }
    }

    /// The loosest share this framing still deserves its name at: a photo that ends too close
    /// below the person is cropped tighter (so the body leaves the frame at its bottom edge), up to this.
    var tightestShare: Double { headShare + 0.08 }

    /// Where the eyes sit across the frame (0 left, 1 right), and where the person may be moved to
    /// fit the photo: a centred framing up to 6 % either way; one with space beside the person only
    /// further aside, so it never drifts towards the centred one (a photo whose two framings still
    /// come out alike keeps one of them: see `StudioFramings`).
    var eyePlacements: [Double] {
        switch self {
        case .closeUpLeft, .tightLeft: [0.60, 0.63, 0.66]
        case .closeUpRight, .tightRight: [0.40, 0.37, 0.34]
        case .wideLeft: [0.64, 0.67]
        case .wideRight: [0.36, 0.33]
        default: [0.5, 0.53, 0.47, 0.56, 0.44]
        }
    }

    /// The (head share, eye placement) pairs tried for this framing, in order: loosest first, and
    /// at each share its placements.
    var placements: [(share: Double, eyeX: Double)] {
        stride(from: headShare, through: tightestShare + 1e-9, by: 0.02).flatMap { share in eyePlacements.map { (share, $0) } }
    }

    /// The renderer's placements: the planned ones, then a little further (4 % more share, 3 % more
    /// shift), so a framing the upload check found still fits a photo decoded again.
    var renderPlacements: [(share: Double, eyeX: Double)] {
        let further = eyePlacements.count > 3 ? [eyePlacements[0] + 0.09, eyePlacements[0] - 0.09] : [2 * eyePlacements.last! - eyePlacements[eyePlacements.count - 2]]
        return placements + stride(from: headShare, through: tightestShare + 0.04 + 1e-9, by: 0.02).flatMap { share in
            (share > tightestShare + 1e-9 ? eyePlacements + further : further).map { (share, $0) }
        }
    }

    var eyeX: Double { eyePlacements[0] }

    public var label: String {
        switch self {
        case .closeUp: "Close-up"
        case .closeUpLeft: "Close-up, space on the left"
        case .closeUpRight: "Close-up, space on the right"
        case .tight: "Tight close-up"
        case .tightLeft: "Tight close-up, space on the left"
        case .tightRight: "Tight close-up, space on the right"
        case .headAndShoulders: "Head and shoulders"
        case .halfLength: "Half-length"
        case .wideLeft: "Wide, space on the left"
        case .wideRight: "Wide, space on the right"
        }
    }
}

/// The key light of a headshot: from the image's left or right, soft (open shadows) or contrasty
/// (a deeper shadow side, as with a smaller source).
public struct ShotLight: Sendable, Hashable, Codable {
    public var fromLeft: Bool
    public var contrasty: Bool

    public init(fromLeft: Bool, contrasty: Bool) {
        self.fromLeft = fromLeft
        self.contrasty = contrasty
    }

    public var label: String { "\(contrasty ? "contrasty" : "soft") light from the \(fromLeft ? "left" : "right")" }
}

/// One planned headshot: which of the customer's photos, framed how, lit how, and the seed of its
/// backdrop's variation (tone, where the light falls on it, texture; for Modern Office, the room).
public struct StudioShot: Sendable, Hashable, Codable {
    /// Position of the source among the plan's photos.
    public var photo: Int
    public var framing: ShotFraming
    public var light: ShotLight
    public var backdrop: Int

    public init(photo: Int, framing: ShotFraming, light: ShotLight, backdrop: Int) {
        self.photo = photo
        self.framing = framing
        self.light = light
        self.backdrop = backdrop
    }

    /// What makes two shots of one style different pictures: the photo and the framing. (Light and
    /// backdrop vary on top, but measured on thumbnails a change of light alone is closer than a
    /// 4 % re-crop: not a different picture.)
    public var look: String { "\(photo).\(framing.rawValue)" }

    /// A compact, stable text form (stored with the headshot): "3.half-length.L.c.17".
    public var code: String { "\(look).\(light.fromLeft ? "L" : "R").\(light.contrasty ? "c" : "s").\(backdrop)" }

    public init?(code: String) {
        let parts = code.split(separator: ".").map(String.init)
        guard parts.count == 5, let photo = Int(parts[0]), let framing = ShotFraming(rawValue: parts[1]),
              parts[2] == "L" || parts[2] == "R", parts[3] == "c" || parts[3] == "s", let backdrop = Int(parts[4]) else { return nil }
        self.init(photo: photo, framing: framing, light: ShotLight(fromLeft: parts[2] == "L", contrasty: parts[3] == "c"), backdrop: backdrop)
    }

    /// The variation the renderer draws this shot with.
    public var variation: StudioVariation {
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: backdrop) &* 0x9E37_79B9 &+ 11)
        return StudioVariation(framing: framing, lightSide: light.fromLeft ? 1 : -1, contrasty: light.contrasty,
                               tone: random.next(in: -1...1), spot: random.next(in: -1...1), seed: backdrop)
    }

    /// "Half-length, soft light from the left".
    public var label: String { "\(framing.label), \(light.label)" }
}

/// What the plan knows of one accepted photo before anything is rendered: its size and where the
/// face is (the quality gate's face box, in the photo's pixels).
public struct PlanPhoto: Sendable, Equatable {
    public let width: Double
    public let height: Double
    public let face: ImageRect

    /// What the photo's upload check found it allows (nil: worked out from the face box).
    public let checkedFramings: [ShotFraming]?

    public init(width: Double, height: Double, face: ImageRect, framings: [ShotFraming]? = nil) {
        self.width = width
        self.height = height
        self.face = face
        self.checkedFramings = framings
    }

    /// What the plan needs of a checked photo's report; nil when it found no face.
    public init?(report: PhotoReport) {
        guard let face = report.faceBox, report.width > 0, report.height > 0 else { return nil }
        self.init(width: Double(report.width), height: Double(report.height), face: face, framings: report.framings)
    }

    /// The framings this photo can give without the person running out of the photo inside the
    /// frame: a frame may reach past the photo only where the photo shows background there. As
    /// the upload check found them; for photos checked before it did, estimated from the face box: the head is about 1.5 face boxes tall, the eyes 38 % down the
    /// box, shoulders 1.6 face widths either side of its middle and the body going on below.
    /// (The renderer checks the real matte again and crops tighter if it must.)
    public var framings: [ShotFraming] {
        checkedFramings ?? ShotFraming.allCases.filter { framing in framing.placements.contains { fits(share: $0.share, eyeX: $0.eyeX) } }
    }

    func fits(share: Double, eyeX: Double) -> Bool {
        let head = face.height * 1.5
        let frameHeight = head / share, frameWidth = frameHeight * 0.8
        let eyes = ImagePoint(x: face.x + face.width / 2, y: face.y + face.height * 0.38)
        let top = eyes.y - Framing.eyeLine * frameHeight, bottom = top + frameHeight
        let left = eyes.x - eyeX * frameWidth, right = left + frameWidth
        let slack = 0.01 * frameHeight
        let chin = face.y + face.height
        let shoulders = (eyes.x - 1.6 * face.width, eyes.x + 1.6 * face.width)
        // The body fills the photo's bottom edge: the frame's bottom must stay inside it.
        if bottom > height + slack { return false }
        // Where the shoulders reach a side of the photo, the frame must not pass that side below the chin.
        if bottom > chin {
            if shoulders.0 <= 0, left < -slack { return false }
            if shoulders.1 >= width, right > width + slack { return false }
        }
        // Hair touching the top: the frame must not pass it.
        if face.y - 0.55 * face.height <= 0, top < -slack { return false }
        return true
    }
}

/// The whole order planned before anything is rendered: headshot `i` is `shots[i]`, in the style
/// `styles[i % styles.count]`. Within a style every planned shot is a different picture by
/// construction (a different photo, framing or light side); each style keeps its remaining
/// combinations as spares, to replace a render the checks discard.
public struct StudioPlan: Sendable {
    public let styles: [String]
    /// One per headshot that will be delivered (as many as the package has, or as the photos can give).
    public let shots: [StudioShot]
    /// Per style, the shots not planned, best first.
    public let spares: [String: [StudioShot]]
    /// How many different pictures one style can have from these photos.
    public let distinctPerStyle: Int
    /// How many headshots were asked for.
    public let requested: Int

    /// How many headshots the order will get: the package's count, or fewer when the photos cannot give that many different ones.
    public var deliverable: Int { shots.count }
    public var isShort: Bool { deliverable < requested }

    public func style(of index: Int) -> String { styles[index % styles.count] }

    /// Plans `count` headshots in `styles` from `photos` (best first). `seed` makes the plan differ
    /// between orders yet stay the same for one order, however often it is worked out.
    public init(photos: [PlanPhoto], styles: [String], count: Int, seed: UInt64) {
        self.styles = styles
        requested = count
        let options = photos.map(\.framings)
        distinctPerStyle = options.map(\.count).reduce(0, +)
        guard !styles.isEmpty, !photos.isEmpty else {
            shots = []; spares = [:]; return
        }
        var random = SeededRandom(seed: seed)
        var shots: [StudioShot] = []
        var spares: [String: [StudioShot]] = [:]
        var perStyle: [[StudioShot]] = []
        let rounds = options.map(\.count).max() ?? 0
        for styleNumber in styles.indices {
            // Round r takes each photo's r-th framing, the framings turned per style (two styles do
            // not crop a photo alike in the same turn) and the light alternating between sides.
            var candidates: [StudioShot] = []
            for round in 0..<rounds {
                for (photo, framings) in options.enumerated() where round < framings.count {
                    let framing = framings[(round + styleNumber + photo) % framings.count]
                    let light = ShotLight(fromLeft: (photo + round + styleNumber) % 2 == 0, contrasty: (round + styleNumber) % 3 == 2)
                    candidates.append(StudioShot(photo: photo, framing: framing, light: light, backdrop: Int(random.next() % 1_000_000)))
                }
            }
            perStyle.append(candidates)
        }
        // Presets take turns: headshot i is style i % styles, its k-th, k = i / styles. Every style
        // has as many candidates, so a short plan keeps the turns too (each style gets the same count).
        let deliverablePerStyle = styles.indices.map { min(Self.share(of: $0, count: count, styles: styles.count), perStyle[$0].count) }
        for k in 0..<(deliverablePerStyle.max() ?? 0) {
            for style in styles.indices where k < deliverablePerStyle[style] { shots.append(perStyle[style][k]) }
        }
        for (style, name) in styles.enumerated() { spares[name] = Array(perStyle[style].dropFirst(deliverablePerStyle[style])) }
        self.shots = shots
        self.spares = spares
    }

    /// A re-run of `styles.count` headshots of `original`, headshot `i` in `styles[i]`. Each style
    /// first takes the shots its plan kept as spares (pictures the customer has not seen), then the
    /// ones it delivered drawn again with the key light from the other side, the other contrast and a
    /// new backdrop (`seed`), so a re-made headshot is never the picture it replaces.
    public init(rerunning styles: [String], of original: StudioPlan, seed: UInt64) {
        self.styles = styles
        requested = styles.count
        distinctPerStyle = original.distinctPerStyle
        var random = SeededRandom(seed: seed)
        var candidates: [String: [StudioShot]] = [:]
        for style in Set(styles) {
            let delivered = original.shots.indices.filter { original.style(of: $0) == style }.map { original.shots[$0] }
            let again = delivered.map { shot in
                StudioShot(photo: shot.photo, framing: shot.framing,
                           light: ShotLight(fromLeft: !shot.light.fromLeft, contrasty: !shot.light.contrasty), backdrop: shot.backdrop)
            }
            candidates[style] = (original.spares[style] ?? []) + again
        }
        for style in candidates.keys.sorted() {
            candidates[style] = candidates[style]!.map { shot in
                var fresh = shot
                fresh.backdrop = Int(random.next() % 1_000_000)
                return fresh
            }
        }
        var shots: [StudioShot] = []
        for style in styles {
            guard var queue = candidates[style], !queue.isEmpty else { break }
            shots.append(queue.removeFirst())
            candidates[style] = queue
        }
        self.shots = shots
        spares = candidates
    }

    /// How many of `count` headshots fall to style number `style` of `styles` (they take turns).
    static func share(of style: Int, count: Int, styles: Int) -> Int { (count - style + styles - 1) / styles }

    /// How many headshots a plan of `count` in `styles` styles delivers when each style can have
    /// `distinctPerStyle` different pictures.
    public static func deliverable(count: Int, styles: Int, distinctPerStyle: Int) -> Int {
        guard styles > 0 else { return 0 }
        return (0..<styles).map { min(share(of: $0, count: count, styles: styles), distinctPerStyle) }.reduce(0, +)
    }

    /// How many more photos like these (each giving as many framings as these do on average) would
    /// let `count` headshots in `styles` styles all be different pictures.
    public static func photosToAdd(count: Int, styles: Int, photos: Int, distinctPerStyle: Int) -> Int {
        guard styles > 0 else { return 0 }
        let needed = share(of: 0, count: count, styles: styles)
        guard needed > distinctPerStyle else { return 0 }
        let perPhoto = photos > 0 && distinctPerStyle > 0 ? Double(distinctPerStyle) / Double(photos) : 1
        return max(1, Int((Double(needed - distinctPerStyle) / perPhoto).rounded(.up)))
    }
}

/// A small deterministic generator (SplitMix64): plans and backdrops vary by seed and repeat
/// exactly for the same seed, on every platform.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range`.
    public mutating func next(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
    }
}
