import COpenCVShim
import Foundation

/// Puts the person over a new background through the matte. The edge colours are cleaned once
/// per photo first: at the matte's soft edge the photo's pixels still carry the old background, so
/// there the person's colour is taken from nearby person pixels instead (a matte-weighted blur),
/// and no halo shows whatever the new background.
enum Compositor {
    /// The decontaminating blur works on a copy this many times smaller: it only matters at the
    /// soft edge and is smooth.
    static let spreadShrink = 4

    /// `photo` with its edge colours decontaminated along `matte` (smaller than the photo).
    static func decontaminated(_ photo: Raster, matte: Raster) throws(OpenCVError) -> Raster {
        precondition(photo.channels == 3 && matte.channels == 1)
        var cleaned = photo
        let sigma = max(1, Double(photo.width / spreadShrink) / 120)
        try cleaned.write("decontaminate") { pixels, w, h, _, error, length in
            hs_decontaminate(pixels, w, h, matte.bytes, Int32(matte.width), Int32(matte.height), Int32(spreadShrink), sigma, error, length)
        }
        return cleaned
    }

    /// person·α + background·(1 − α), α from the matte.
    static func composite(person: Raster, background: Raster, matte: Raster) throws(OpenCVError) -> Raster {
        precondition(person.channels == 3 && background.channels == 3 && matte.channels == 1)
        var out = Raster(width: person.width, height: person.height, channels: 3)
        try out.write("composite") { pixels, w, h, _, error, length in
            hs_over(person.bytes, background.bytes, matte.bytes, w, h, pixels, error, length)
        }
        return out
    }
}
