import Foundation

/// Light and colour of the person: white balance from the face's own skin, the face brought to the
/// preset's exposure, the preset's tint, a soft key-light falloff across the face, and a gentle S
/// tone curve. Monochrome keeps L* only (a perceptual black-and-white conversion).
enum Grade {
    /// Skin seen under neutral light sits near this hue angle in CIELAB (degrees).
    static let neutralSkinHue = 55.0
    /// White balance moves the skin this share of the way to neutral, at most `maxShift` in a*/b*.
    static let balanceShare = 0.5
    static let maxShift = 5.0
    /// Exposure changes are limited to about ±⅓ stop.
    static let gainRange = 0.8...1.25
    /// How much brighter the lit side of the face is than the middle (and the other side darker).
    static let keyLight = 0.06

    struct Skin {
        let lightness: Double
        let a: Double
        let b: Double
    }

    /// The mean CIELAB colour of the cheeks and nose: the box between the eyes' outer corners and
    /// the mouth, mostly skin.
    static func skin(of lab: VipsImage, landmarks: [ImagePoint]) throws -> Skin {
        let left = landmarks[36].x, right = landmarks[45].x
        let top = max(landmarks[36].y, landmarks[45].y), bottom = landmarks[51].y
        let rect = ImageRect(x: left, y: top, width: max(right - left, 2), height: max(bottom - top, 2))
            .pixelRect().clamped(width: lab.width, height: lab.height)
        let means = try lab.cropped(to: rect).bandMeans()
        return Skin(lightness: means[0], a: means[1], b: means[2])
    }

    static func apply(_ look: StudioLook, to person: VipsImage, landmarks: [ImagePoint], variation: StudioVariation) throws -> VipsImage {
        let lab = try person.converted(to: .lab).materialised()
        let skin = try skin(of: lab, landmarks: landmarks)
        let chroma = (skin.a * skin.a + skin.b * skin.b).squareRoot()
        let hue = neutralSkinHue * .pi / 180
        func limited(_ value: Double) -> Double { min(max(value, -maxShift), maxShift) }
        let da = limited(balanceShare * (chroma * cos(hue) - skin.a))
        let db = limited(balanceShare * (chroma * sin(hue) - skin.b))
        let gain = min(max(look.faceLightness / max(skin.lightness, 1), gainRange.lowerBound), gainRange.upperBound)
        let keep = look.monochrome ? 0.0 : 1.0

        // Key light: brighter towards the light's side of the face, falling off across it.
        let eyeLeft = landmarks[36], eyeRight = landmarks[45]
        let faceWidth = max(landmarks[0].distance(to: landmarks[16]), 1)
        let centre = ImagePoint(x: (eyeLeft.x + eyeRight.x) / 2, y: landmarks[30].y)
        let lx = -0.8 * variation.lightSide, ly = -0.6  // from above, on the image's left (+1) or right (−1)
        let xy = try VipsImage.coordinates(width: person.width, height: person.height)
        let along = try xy.linear([lx / faceWidth, ly / faceWidth], [-(lx * centre.x) / faceWidth, -(ly * centre.y) / faceWidth])
        let light = try along.band(0).adding(try along.band(1)).clamped(-1.5, 1.5).scaled(keyLight, plus: 1)

        let lightness = try lab.band(0).scaled(gain).multiplying(light)
        let colour = try lab.band(1, count: 2).linear([keep, keep], [keep * (da + look.tint), keep * (db + look.warmth)])
        let graded = try VipsImage.joined([lightness, colour]).interpreted(as: .lab).converted(to: .sRGB).uchar()
        return try graded.mapped(through: toneCurve(look.contrast))
    }

    /// An S curve mixed into the identity: deeper shadows and brighter highlights, mid-grey kept.
    static func toneCurve(_ strength: Double) -> [UInt8] {
        (0..<256).map { level in
            let x = Double(level) / 255
            let s = x * x * (3 - 2 * x)
            return UInt8(clamping: Int(((x + strength * (s - x)) * 255).rounded()))
        }
    }
}
