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

    /// Runs an OpenCV shim function that writes into this raster: `body` gets the pixels, the
    /// raster's width, height and channel count, and the shim's error buffer and its length.
    mutating func write(_ operation: String,
                        _ body: (UnsafeMutablePointer<UInt8>, Int32, Int32, Int32, UnsafeMutablePointer<CChar>, Int) -> Int32) throws(OpenCVError) {
        let (w, h, c) = (Int32(width), Int32(height), Int32(channels))
        try OpenCV.call(operation) { error, length in bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!, w, h, c, error, length) } }
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
        try out.write("warp") { pixels, w, h, c, error, length in
            hs_warp(bytes, Int32(self.width), Int32(self.height), c, matrix, extend.code, pixels, w, h, error, length)
        }
        return out
    }

    mutating func blur(sigma: Double) throws(OpenCVError) {
        try write("blur") { hs_blur($0, $1, $2, $3, sigma, $4, $5) }
    }

    /// Each channel through its own table (3 × 256 entries).
    mutating func lookUp(_ tables: [[UInt8]]) throws(OpenCVError) {
        precondition(channels == 3 && tables.count == 3 && tables.allSatisfy { $0.count == 256 })
        let flat = tables.flatMap { $0 }
        try write("lookup") { pixels, w, h, _, error, length in hs_lookup(pixels, w, h, flat, error, length) }
    }

    /// `region` multiplied by `field` (a smooth gain worked out small) enlarged to it.
    mutating func multiply(_ region: PixelRect, by field: Field) throws(OpenCVError) {
        try write("multiply by field") { pixels, w, h, c, error, length in
            hs_multiply_field(pixels, w, h, c, Int32(region.x), Int32(region.y), Int32(region.width), Int32(region.height),
                              field.values, Int32(field.width), Int32(field.height), error, length)
        }
    }

    /// A rim light along the person's silhouette (`matte`, this raster's size) on the side of the
    /// image the light comes from: lightened towards white by up to `strength`.
    mutating func rim(matte: Raster, fromRight: Bool, strength: Double) throws(OpenCVError) {
        precondition(channels == 3 && matte.channels == 1 && matte.width == width && matte.height == height)
        try write("rim light") { pixels, w, h, _, error, length in
            hs_rim(pixels, matte.bytes, w, h, fromRight ? 1 : 0, strength, error, length)
        }
    }

    /// A grey copy shrunk to `width` × `height` (area average): what near-duplicates are compared on.
    func greyThumbnail(width: Int, height: Int) throws(OpenCVError) -> [UInt8] {
        precondition(channels == 3)
        var out = [UInt8](repeating: 0, count: width * height)
        try OpenCV.call("thumbnail") { error, length in
            out.withUnsafeMutableBufferPointer { hs_grey_thumbnail(bytes, Int32(self.width), Int32(self.height), $0.baseAddress, Int32(width), Int32(height), error, length) }
        }
        return out
    }

    /// Grey (luma) in all three channels.
    mutating func makeMonochrome() throws(OpenCVError) {
        try write("monochrome") { pixels, w, h, _, error, length in hs_monochrome(pixels, w, h, error, length) }
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

    /// A field over a width × height area of pixels, one cell per `shrink` pixels each way (at
    /// least `minimum` cells): `value(x, y)` at each cell's centre, in the area's pixel coordinates.
    init(covering width: Int, _ height: Int, shrink: Int, minimum: Int, _ value: (Double, Double) -> Double) {
        let fieldWidth = max(width / shrink, minimum), fieldHeight = max(height / shrink, minimum)
        let cellX = Double(width) / Double(fieldWidth), cellY = Double(height) / Double(fieldHeight)
        self.init(width: fieldWidth, height: fieldHeight) { x, y in value(x * cellX, y * cellY) }
    }
}
