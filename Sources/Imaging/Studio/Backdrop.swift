import COpenCVShim
import Foundation

/// Procedurally drawn studio backdrops: a seamless radial gradient, brightest behind the head and
/// falling off softly to the corners (the vignette), with fine grain added before quantising to
/// 8 bits so the gradient never bands.
enum Backdrop {
    /// Fine grain, in 8-bit levels (σ): enough to dither a smooth gradient, too little to see.
    static let grain = 1.1

    /// The gradient is smooth, so it is worked out at 1/8 size and enlarged.
    static let gradientShrink = 8

    static func draw(width: Int, height: Int, centre: [Double], edge: [Double], variation: StudioVariation) throws -> VipsImage {
        let smallWidth = max(width / gradientShrink, 8), smallHeight = max(height / gradientShrink, 8)
        let w = Double(smallWidth), h = Double(smallHeight)
        // The light spot sits behind the head, a little towards the key light's side.
        let cx = w * (0.5 - 0.08 * variation.lightSide), cy = h * 0.33
        let xy = try VipsImage.coordinates(width: smallWidth, height: smallHeight)
        let dx = try xy.band(0).scaled(1 / w, plus: -cx / w)
        let dy = try xy.band(1).scaled(0.8 / h, plus: -0.8 * cy / h)
        let distance = try dx.multiplying(dx).adding(try dy.multiplying(dy)).raised(to: 0.5)
        // 0 at the light spot, 1 from about the corners on; the 1.6 power keeps the centre broad.
        let t = try distance.scaled(1 / 0.72).clamped(0, 1).raised(to: 1.6)
        let brightness = 1 + 0.07 * variation.tone
        let bands = try (0..<3).map { band throws -> VipsImage in
            let from = centre[band] * brightness, to = edge[band] * brightness
            return try t.scaled(to - from, plus: from)
        }
        // Enlarged, grained and quantised in one pass by OpenCV (cheaper than three full-size libvips passes).
        let floats = try VipsImage.joined(bands).floatPixels()
        var out = [UInt8](repeating: 0, count: width * height * 3)
        try OpenCV.call("backdrop") {
            hs_backdrop(floats, Int32(smallWidth), Int32(smallHeight), Int32(width), Int32(height), grain, Int32(truncatingIfNeeded: variation.seed),
                        &out, $0, $1)
        }
        return try VipsImage.fromPixels(out, width: width, height: height, bands: 3)
    }
}
