import CVipsShim
import Foundation

/// Owns one libvips image reference and releases it in `deinit`. Images are immutable: every
/// operation returns a new one. Not shared between threads (each photo is worked on by one thread).
final class VipsImage {
    let pointer: OpaquePointer
    /// Bytes a lazily-opened image still reads from; kept alive as long as the image.
    private let source: [UInt8]?

    init(_ pointer: OpaquePointer, source: [UInt8]? = nil) {
        self.pointer = pointer
        self.source = source
    }

    deinit { hs_vips_unref(pointer) }

    var width: Int { Int(hs_vips_width(pointer)) }
    var height: Int { Int(hs_vips_height(pointer)) }
    var bands: Int { Int(hs_vips_bands(pointer)) }
    var pages: Int { Int(hs_vips_pages(pointer)) }
    var orientation: Int { Int(hs_vips_orientation(pointer)) }

    /// Runs a libvips call that produces an image, turning failure into a typed error.
    static func make(
        _ operation: String, source: [UInt8]? = nil, _ call: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    ) throws(VipsError) -> VipsImage {
        var out: OpaquePointer?
        guard call(&out) == 0, let out else { throw VipsError(operation: operation, message: Vips.takeError()) }
        return VipsImage(out, source: source)
    }

    /// Parses only the header; no pixel is decoded.
    static func header(of bytes: [UInt8]) throws(VipsError) -> VipsImage {
        try Vips.start()
        let copy = bytes
        return try make("header", source: copy) { out in
            copy.withUnsafeBytes { hs_vips_open_header($0.baseAddress, $0.count, out) }
        }
    }

    /// The loader libvips itself would pick for these bytes, e.g. "VipsForeignLoadJpegBuffer".
    static func loaderName(for bytes: [UInt8]) -> String? {
        guard (try? Vips.start()) != nil else { return nil }
        return bytes.withUnsafeBytes { raw in hs_vips_loader_for(raw.baseAddress, raw.count).map { String(cString: $0) } }
    }

    /// Decoded, upright, 8-bit sRGB pixels in memory, at most `maxSide` on the long side.
    static func decodeNormalised(_ bytes: [UInt8], maxSide: Int, timeLimit: Double) throws(VipsError) -> VipsImage {
        try Vips.start()
        var status: Int32 = 0
        do {
            return try make("decode") { out in
                status = bytes.withUnsafeBytes { hs_vips_decode_normalised($0.baseAddress, $0.count, Int32(maxSide), timeLimit, out) }
                return status
            }
        } catch {
            // The shim says a kill by its return code; libvips' error text is shared by every thread.
            throw status == -2 ? VipsError(operation: "decode", message: "killed: the decode ran past its time limit") : error
        }
    }

    static func fromPixels(_ pixels: [UInt8], width: Int, height: Int, bands: Int) throws(VipsError) -> VipsImage {
        try Vips.start()
        return try make("from_pixels") { out in
            pixels.withUnsafeBytes { hs_vips_from_pixels($0.baseAddress, Int32(width), Int32(height), Int32(bands), out) }
        }
    }

    func resized(by scale: Double) throws(VipsError) -> VipsImage {
        try resized(horizontal: scale, vertical: scale)
    }

    func resized(horizontal: Double, vertical: Double) throws(VipsError) -> VipsImage {
        try Self.make("resize") { hs_vips_resize(pointer, horizontal, vertical, $0) }
    }

    /// A sub-rectangle, clamped to the image.
    func cropped(to rect: PixelRect) throws(VipsError) -> VipsImage {
        let clamped = rect.clamped(width: width, height: height)
        return try Self.make("crop") {
            hs_vips_crop(pointer, Int32(clamped.x), Int32(clamped.y), Int32(clamped.width), Int32(clamped.height), $0)
        }
    }

    /// This image computed into memory: later operations read pixels instead of recomputing them.
    func materialised() throws(VipsError) -> VipsImage {
        try Self.make("copy_memory") { hs_vips_copy_memory(pointer, $0) }
    }

    func greyscale() throws(VipsError) -> VipsImage {
        try Self.make("colourspace") { hs_vips_grey(pointer, $0) }
    }

    func convolved(_ kernel: [Double]) throws(VipsError) -> VipsImage {
        precondition(kernel.count == 9, "a 3×3 kernel has 9 entries")
        return try Self.make("conv") { out in kernel.withUnsafeBufferPointer { hs_vips_conv3x3(pointer, $0.baseAddress, out) } }
    }

    func gaussianBlurred(sigma: Double) throws(VipsError) -> VipsImage {
        try Self.make("gaussblur") { hs_vips_gaussblur(pointer, sigma, $0) }
    }

    /// `pixel × factor + offset`, clamped to 0…255.
    func linear(factor: Double, offset: Double) throws(VipsError) -> VipsImage {
        try Self.make("linear") { hs_vips_linear(pointer, factor, offset, $0) }
    }

    func rotated(degrees: Int) throws(VipsError) -> VipsImage {
        try Self.make("rot") { hs_vips_rotate(pointer, Int32(degrees), $0) }
    }

    /// A copy with an integer metadata field set, e.g. "orientation" (EXIF) or "page-height" (frames).
    func with(_ field: String, _ value: Int) throws(VipsError) -> VipsImage {
        try Self.make("copy") { hs_vips_with_int(pointer, field, Int32(value), $0) }
    }

    func mean() throws(VipsError) -> Double {
        var value = 0.0
        guard hs_vips_mean(pointer, &value) == 0 else { throw VipsError(operation: "avg", message: Vips.takeError()) }
        return value
    }

    func standardDeviation() throws(VipsError) -> Double {
        var value = 0.0
        guard hs_vips_deviation(pointer, &value) == 0 else { throw VipsError(operation: "deviate", message: Vips.takeError()) }
        return value
    }

    /// Fraction (0…1) of pixels at or above (or at or below) `threshold`, for a one-band image.
    func fraction(atLeast threshold: Double) throws(VipsError) -> Double { try fraction(threshold, above: true) }
    func fraction(atMost threshold: Double) throws(VipsError) -> Double { try fraction(threshold, above: false) }

    private func fraction(_ threshold: Double, above: Bool) throws(VipsError) -> Double {
        var value = 0.0
        guard hs_vips_fraction(pointer, threshold, above ? 1 : 0, &value) == 0 else {
            throw VipsError(operation: "relational", message: Vips.takeError())
        }
        return value
    }

    /// Interleaved 8-bit pixels, rows without padding.
    func pixels() throws(VipsError) -> [UInt8] {
        try Self.buffer("write_to_memory") { hs_vips_pixels(pointer, $0, $1) }
    }

    /// JPEG without any metadata (EXIF, XMP, IPTC, ICC).
    func jpeg(quality: Int) throws(VipsError) -> [UInt8] {
        try Self.buffer("jpegsave") { hs_vips_jpeg(pointer, Int32(quality), $0, $1) }
    }

    /// Encodes in the format a file suffix names (".png", ".webp", ".gif", ".tif"...).
    func encoded(as suffix: String) throws(VipsError) -> [UInt8] {
        try Self.buffer("save \(suffix)") { data, length in hs_vips_save(pointer, suffix, data, length) }
    }

    static func buffer(
        _ operation: String, _ call: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32
    ) throws(VipsError) -> [UInt8] {
        var data: UnsafeMutableRawPointer?
        var length = 0
        guard call(&data, &length) == 0, let data else { throw VipsError(operation: operation, message: Vips.takeError()) }
        defer { hs_vips_free(data) }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }
}
