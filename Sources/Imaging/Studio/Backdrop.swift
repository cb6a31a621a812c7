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

    static func draw(width: Int, height: Int, centre: [Double], edge: [Double], variation: StudioVariation, grain: Grain) throws(OpenCVError) -> Raster {
        precondition(width <= grain.width && height <= grain.height)
        let smallWidth = max(width / gradientShrink, 8), smallHeight = max(height / gradientShrink, 8)
        let w = Double(smallWidth), h = Double(smallHeight)
        // The light spot sits behind the head, a little towards the key light's side.
        let cx = w * (0.5 - 0.08 * variation.lightSide), cy = h * 0.33
        // 0 at the light spot, 1 from about the corners on; the 1.6 power keeps the centre broad.
        let shade = Field(width: smallWidth, height: smallHeight) { x, y in
            let dx = (x - 0.5 - cx) / w, dy = 0.8 * (y - 0.5 - cy) / h
            return pow(min((dx * dx + dy * dy).squareRoot() / 0.72, 1), 1.6)
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
