import Foundation

/// Light and colour of the person: white balance from the face's own skin, the face brought to the
/// preset's exposure, the preset's tint, a gentle S tone curve (together one lookup table per
/// channel), and a soft key-light falloff across the face. Monochrome is converted at the end,
/// after compositing (libvips' B_W: L* only).
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

    static func apply(_ look: StudioLook, to person: VipsImage, landmarks: [ImagePoint], variation: StudioVariation) throws -> VipsImage {
        // Measure the skin in CIELAB, then decide where it should be.
        let skin = try skin(of: person, landmarks: landmarks)
        let chroma = (skin.a * skin.a + skin.b * skin.b).squareRoot()
        let hue = neutralSkinHue * .pi / 180
        func limited(_ value: Double) -> Double { min(max(value, -maxShift), maxShift) }
        let da = limited(balanceShare * (chroma * cos(hue) - skin.a)) + look.tint
        let db = limited(balanceShare * (chroma * sin(hue) - skin.b)) + look.warmth
        let gain = min(max(look.faceLightness / max(skin.lightness, 1), gainRange.lowerBound), gainRange.upperBound)
        let current = try srgb(lab: [skin.lightness, skin.a, skin.b])
        let target = try srgb(lab: [skin.lightness * gain, skin.a + da, skin.b + db])

        // One table per channel: a gamma curve that carries the skin's level to its target while
        // keeping black and white where they are, then the preset's S curve.
        let tone = toneCurve(look.contrast)
        let tables = (0..<3).map { channel -> [UInt8] in
            let from = min(max(current[channel] / 255, 0.02), 0.98), to = min(max(target[channel] / 255, 0.02), 0.98)
            let gamma = min(max(log(to) / log(from), gammaRange.lowerBound), gammaRange.upperBound)
            return (0..<256).map { level in tone[Int((pow(Double(level) / 255, gamma) * 255).rounded())] }
        }
        let graded = try person.mapped(throughBands: tables).materialised()
        // The key light falls on the head: it is applied to a region around it, fading to nothing
        // at the region's edges, so the rest of the frame is not touched (and not computed).
        let faceWidth = max(landmarks[0].distance(to: landmarks[16]), 1)
        let region = ImageRect(x: landmarks[0].x - 1.2 * faceWidth, y: landmarks[19].y - 1.6 * faceWidth,
                               width: 3.4 * faceWidth, height: 3.6 * faceWidth).pixelRect().clamped(width: person.width, height: person.height)
        let local = landmarks.map { ImagePoint(x: $0.x - Double(region.x), y: $0.y - Double(region.y)) }
        let field = try keyLight(width: region.width, height: region.height, landmarks: local, variation: variation)
        let lit = try graded.cropped(to: region).multiplying(field).uchar()
        return try graded.inserting(lit, x: region.x, y: region.y).interpreted(as: .sRGB)
    }

    /// A brightness field (1 ± 0.09): brighter towards the light's side of the face, from above,
    /// falling off across the face, and back to 1 towards the field's edges (a window). Smooth, so
    /// worked out at 1/8 size.
    static func keyLight(width: Int, height: Int, landmarks: [ImagePoint], variation: StudioVariation) throws -> VipsImage {
        let shrink = 8.0
        let smallWidth = max(Int(Double(width) / shrink), 4), smallHeight = max(Int(Double(height) / shrink), 4)
        let faceWidth = max(landmarks[0].distance(to: landmarks[16]), 1) / shrink
        let centre = ImagePoint(x: (landmarks[36].x + landmarks[45].x) / 2 / shrink, y: landmarks[30].y / shrink)
        let lx = -0.8 * variation.lightSide, ly = -0.6  // from above, on the image's left (+1) or right (−1)
        let xy = try VipsImage.coordinates(width: smallWidth, height: smallHeight)
        let along = try xy.linear([lx / faceWidth, ly / faceWidth], [-(lx * centre.x) / faceWidth, -(ly * centre.y) / faceWidth])
        // The window: 1 in the middle, 0 at the edges (product of two parabolas).
        let u = try xy.band(0).scaled(2 / Double(smallWidth), plus: -1), v = try xy.band(1).scaled(2 / Double(smallHeight), plus: -1)
        let window = try u.multiplying(u).scaled(-1, plus: 1).multiplying(try v.multiplying(v).scaled(-1, plus: 1)).clamped(0, 1)
        return try along.band(0).adding(try along.band(1)).clamped(-1.5, 1.5).multiplying(window).scaled(keyLight, plus: 1)
            .materialised().resized(toWidth: width, height: height)
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
