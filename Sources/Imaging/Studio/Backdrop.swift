import COpenCVShim
import Foundation

/// Procedurally drawn studio backdrops: a seamless radial gradient, brightest behind the head and
/// falling off softly to the corners (the vignette), with fine grain added before quantising to
/// 8 bits so the gradient never bands.
enum Backdrop {
    /// Fine grain, in 8-bit levels (σ): enough to dither a smooth gradient, too little to see.
    static let grain = 1.1

    /// How far a painted backdrop's slow unevenness moves the shade (of the centre-to-edge range).
    static let textureAmplitude = 0.09

    /// The gradient is smooth, so it is worked out at 1/8 size and enlarged.
    static let gradientShrink = 8

    static func draw(width: Int, height: Int, centre: [Double], edge: [Double], variation: StudioVariation, grain: Grain) throws(OpenCVError) -> Raster {
        precondition(width <= grain.width && height <= grain.height)
        let smallWidth = max(width / gradientShrink, 8), smallHeight = max(height / gradientShrink, 8)
        let w = Double(smallWidth), h = Double(smallHeight)
        // The light spot sits behind the head, towards the key light's side, moved by the
        // variation's spot; a little higher or lower per headshot.
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: variation.seed) &+ 0x5EED)
        let cx = w * (0.5 - 0.08 * variation.lightSide + 0.12 * variation.spot), cy = h * random.next(in: 0.26...0.40)
        let reach = random.next(in: 0.62...0.82)
        let texture = Mottle(seed: &random, amplitude: textureAmplitude)
        // 0 at the light spot, 1 from about the corners on; the 1.6 power keeps the centre broad;
        // the mottle is a painted canvas's slow unevenness.
        let shade = Field(width: smallWidth, height: smallHeight) { x, y in
            let dx = (x - 0.5 - cx) / w, dy = 0.8 * (y - 0.5 - cy) / h
            let base = pow(min((dx * dx + dy * dy).squareRoot() / reach, 1), 1.6)
            return min(max(base + texture.value(x / w, y / h), 0), 1.15)
        }
        let brightness = 1 + 0.07 * variation.tone
        let from = centre.map { $0 * brightness }, to = edge.map { $0 * brightness }
        var out = Raster(width: width, height: height, channels: 3)
        try out.write("backdrop") { pixels, w, h, _, error, length in
            hs_backdrop(shade.values, Int32(smallWidth), Int32(smallHeight), from, to, grain.values, Int32(grain.width), w, h, pixels, error, length)
        }
        return out
    }

    /// Grain for frames up to the largest headshot: made once per renderer thread (drawing it is
    /// the costliest part of a backdrop) and shared by every backdrop it draws, each using its
    /// top-left corner. Under a different gradient in every headshot the same grain is invisible.
    struct Grain {
        let values: [Float]
        let width: Int
        let height: Int

        init(width: Int = Framing.maxWidth, height: Int = Framing.maxHeight, seed: Int = 1) throws(OpenCVError) {
            var values = [Float](repeating: 0, count: width * height)
            try OpenCV.call("grain") { error, length in values.withUnsafeMutableBufferPointer {
                hs_grain($0.baseAddress, Int32(width), Int32(height), Backdrop.grain, Int32(seed), error, length)
            } }
            self.values = values
            self.width = width
            self.height = height
        }
    }
}

/// Slow, smooth unevenness: random values on a coarse 5 × 6 grid, interpolated smoothly between.
struct Mottle {
    static let columns = 5, rows = 6
    let values: [Double]
    let amplitude: Double

    init(seed random: inout SeededRandom, amplitude: Double) {
        values = (0..<(Self.columns * Self.rows)).map { _ in random.next(in: -1...1) }
        self.amplitude = amplitude
    }

    /// At (u, v) in 0…1 across the area.
    func value(_ u: Double, _ v: Double) -> Double {
        let x = min(max(u, 0), 1) * Double(Self.columns - 1), y = min(max(v, 0), 1) * Double(Self.rows - 1)
        let x0 = min(Int(x), Self.columns - 2), y0 = min(Int(y), Self.rows - 2)
        func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
        let tx = smooth(x - Double(x0)), ty = smooth(y - Double(y0))
        func at(_ i: Int, _ j: Int) -> Double { values[j * Self.columns + i] }
        let top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * tx
        let bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * tx
        return amplitude * (top + (bottom - top) * ty)
    }
}
