import Foundation

/// Light and colour of the person: white balance from the face's own skin, the face brought to the
/// preset's exposure, the preset's tint, a gentle S tone curve (together one lookup table per
/// channel), and a soft key-light falloff across the face. Monochrome is converted at the end,
/// after compositing (luma in every channel).
enum Grade {
    /// Skin seen under neutral light sits near this hue angle in CIELAB (degrees).
    static let neutralSkinHue = 55.0
    /// White balance moves the skin this share of the way to neutral, at most `maxShift` in a*/b*.
    static let balanceShare = 0.5
    static let maxShift = 5.0
    /// Exposure changes are limited to about ±⅓ stop.
    static let gainRange = 0.8...1.25
    /// How much brighter the lit side of the face is than the middle, and how much darker the
    /// shadow side: soft light keeps the shadows open, contrasty light deepens them.
    static let keyLight = (lit: 0.10, softShadow: 0.14, contrastyShadow: 0.28)

    struct Skin {
        let lightness: Double
        let a: Double
        let b: Double
    }

    /// The mean CIELAB colour of the cheeks and nose of an sRGB image: the box between the eyes'
    /// outer corners and the mouth, mostly skin.
    static func skin(of image: VipsImage, landmarks: [ImagePoint]) throws -> Skin {
        let left = landmarks[36].x, right = landmarks[45].x
        let top = max(landmarks[36].y, landmarks[45].y), bottom = landmarks[51].y
        let rect = ImageRect(x: left, y: top, width: max(right - left, 2), height: max(bottom - top, 2))
            .pixelRect().clamped(width: image.width, height: image.height)
        let means = try image.cropped(to: rect).converted(to: .lab).bandMeans()
        return Skin(lightness: means[0], a: means[1], b: means[2])
    }

    /// Gamma exponents per channel are kept in this range (about ±⅔ stop at mid-grey).
    static let gammaRange = 0.6...1.6

    /// Grades `person` in place; `skin` is the colour of its cheeks (measured once per photo).
    static func apply(_ look: StudioLook, to person: inout Raster, skin: Skin, landmarks: [ImagePoint], variation: StudioVariation) throws {
        try person.lookUp(try tables(look, skin: skin))
        // The key light falls across the whole person: brighter towards its side, the other side
        // in shadow, worked out small and enlarged.
        try person.multiply(PixelRect(x: 0, y: 0, width: person.width, height: person.height),
                            by: keyLight(width: person.width, height: person.height, landmarks: landmarks, variation: variation))
    }

    /// One table per channel: white balance, exposure and tint as a gamma curve per channel that
    /// carries the skin's level to its target while keeping black and white where they are, then
    /// the preset's S curve.
    static func tables(_ look: StudioLook, skin: Skin) throws -> [[UInt8]] {
        let chroma = (skin.a * skin.a + skin.b * skin.b).squareRoot()
        let hue = neutralSkinHue * .pi / 180
        func limited(_ value: Double) -> Double { min(max(value, -maxShift), maxShift) }
        let da = limited(balanceShare * (chroma * cos(hue) - skin.a)) + look.tint
        let db = limited(balanceShare * (chroma * sin(hue) - skin.b)) + look.warmth
        let gain = min(max(look.faceLightness / max(skin.lightness, 1), gainRange.lowerBound), gainRange.upperBound)
        let current = try srgb(lab: [skin.lightness, skin.a, skin.b])
        let target = try srgb(lab: [skin.lightness * gain, skin.a + da, skin.b + db])
        let tone = toneCurve(look.contrast)
        return (0..<3).map { channel -> [UInt8] in
            let from = min(max(current[channel] / 255, 0.02), 0.98), to = min(max(target[channel] / 255, 0.02), 0.98)
            let gamma = min(max(log(to) / log(from), gammaRange.lowerBound), gammaRange.upperBound)
            return (0..<256).map { level in tone[Int((pow(Double(level) / 255, gamma) * 255).rounded())] }
        }
    }

    /// A brightness field over the frame: brighter towards the light's side of the face and from
    /// above, darker on the other side, the change spread over about a face's width and held
    /// beyond it (the body is lit alike). Smooth, so worked out at 1/8 size.
    static func keyLight(width: Int, height: Int, landmarks: [ImagePoint], variation: StudioVariation) -> Field {
        let faceWidth = max(landmarks[0].distance(to: landmarks[16]), 1)
        let centre = ImagePoint(x: (landmarks[36].x + landmarks[45].x) / 2, y: landmarks[30].y)
        let lx = 0.9 * variation.lightSide, ly = -0.45  // towards the light: the image's left (+1) or right (−1), and up
        let shadow = variation.contrasty ? keyLight.contrastyShadow : keyLight.softShadow
        return Field(covering: width, height, shrink: 8, minimum: 4) { px, py in
            // Positive towards the light; the left of the image is −x.
            let along = (-lx * (px - centre.x) + ly * (py - centre.y)) / faceWidth
            let t = min(max(along / 0.6, -1), 1)
            let eased = t * (1.5 - 0.5 * t * t)  // smooth, flat at ±1
            return 1 + (eased >= 0 ? keyLight.lit : shadow) * eased
        }
    }

    /// sRGB (0–255, unclamped) of one CIELAB colour, converted by libvips.
    static func srgb(lab: [Double]) throws -> [Double] {
        let zero = try VipsImage.coordinates(width: 1, height: 1).band(0)
        let pixel = try VipsImage.joined(lab.map { try zero.scaled(0, plus: $0) }).interpreted(as: .lab)
        return try pixel.converted(to: .sRGB).bandMeans()
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
