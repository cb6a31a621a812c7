import COpenCVShim
import Foundation

/// An 8-bit image held in memory, rows packed and channels interleaved: what the renderer's
/// per-frame steps (OpenCV, `studio_shim.h`) read and write in place. libvips decodes into one and
/// encodes from one; between the two a frame is worked on without copies or lazy pipelines.
struct Raster {
    var bytes: [UInt8]
    let width: Int
    let height: Int
    let channels: Int

    /// A black raster.
    init(width: Int, height: Int, channels: Int) {
        bytes = [UInt8](repeating: 0, count: width * height * channels)
        self.width = width
        self.height = height
        self.channels = channels
    }

    init(_ image: VipsImage) throws(VipsError) {
        bytes = try image.pixels()
        width = image.width
        height = image.height
        channels = image.bands
    }

    func vips() throws(VipsError) -> VipsImage {
        try VipsImage.fromPixels(bytes, width: width, height: height, bands: channels)
    }

    /// How `warped` continues past the raster's edges.
    enum Extend {
        case repeated, mirrored
        var code: Int32 { self == .mirrored ? Int32(HS_EXTEND_MIRROR) : Int32(HS_EXTEND_REPEAT) }
    }

    /// This raster mapped by out = [a b; c d]·in + (dx, dy) into a width × height frame, bilinear.
    func warped(_ m: (a: Double, b: Double, c: Double, d: Double, dx: Double, dy: Double), width: Int, height: Int,
                extend: Extend) throws(OpenCVError) -> Raster {
        let matrix = [m.a, m.b, m.dx, m.c, m.d, m.dy]
        var out = Raster(width: width, height: height, channels: channels)
        try OpenCV.call("warp") { error, length in out.bytes.withUnsafeMutableBufferPointer {
            hs_warp(bytes, Int32(self.width), Int32(self.height), Int32(channels), matrix, extend.code, $0.baseAddress,
                    Int32(width), Int32(height), error, length)
        } }
        return out
    }

    mutating func blur(sigma: Double) throws(OpenCVError) {
        let (w, h, c) = (width, height, channels)
        try OpenCV.call("blur") { error, length in bytes.withUnsafeMutableBufferPointer {
            hs_blur($0.baseAddress, Int32(w), Int32(h), Int32(c), sigma, error, length)
        } }
    }

    /// Each channel through its own table (3 × 256 entries).
    mutating func lookUp(_ tables: [[UInt8]]) throws(OpenCVError) {
        precondition(channels == 3 && tables.count == 3 && tables.allSatisfy { $0.count == 256 })
        let flat = tables.flatMap { $0 }, (w, h) = (width, height)
        try OpenCV.call("lookup") { error, length in bytes.withUnsafeMutableBufferPointer {
            hs_lookup($0.baseAddress, Int32(w), Int32(h), flat, error, length)
        } }
    }

    /// `region` multiplied by `field` (a smooth gain worked out small) enlarged to it.
    mutating func multiply(_ region: PixelRect, by field: Field) throws(OpenCVError) {
        let (w, h, c) = (width, height, channels)
        try OpenCV.call("multiply by field") { error, length in bytes.withUnsafeMutableBufferPointer {
            hs_multiply_field($0.baseAddress, Int32(w), Int32(h), Int32(c), Int32(region.x), Int32(region.y), Int32(region.width),
                              Int32(region.height), field.values, Int32(field.width), Int32(field.height), error, length)
        } }
    }

    /// Grey (luma) in all three channels.
    mutating func makeMonochrome() throws(OpenCVError) {
        let (w, h) = (width, height)
        try OpenCV.call("monochrome") { error, length in bytes.withUnsafeMutableBufferPointer {
            hs_monochrome($0.baseAddress, Int32(w), Int32(h), error, length)
        } }
    }
}

/// A small one-channel float image of a smooth quantity (a gain, a weight), computed point by point
/// and enlarged bilinearly where it is used.
struct Field {
    var values: [Float]
    let width: Int
    let height: Int

    /// `value(x, y)` at the centre of each of width × height cells, in the cell grid's coordinates.
    init(width: Int, height: Int, _ value: (Double, Double) -> Double) {
        self.width = width
        self.height = height
        values = []
        values.reserveCapacity(width * height)
        for y in 0..<height { for x in 0..<width { values.append(Float(value(Double(x) + 0.5, Double(y) + 0.5))) } }
    }
}
