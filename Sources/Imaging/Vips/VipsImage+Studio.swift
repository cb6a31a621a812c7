import CVipsShim
import Foundation

/// The libvips operations the studio renderer composes. Arithmetic results are float images; call
/// `uchar()` to come back to 8 bits.
extension VipsImage {
    enum Space: Int32 {
        case sRGB = 0, lab = 1, bw = 2
    }

    enum Extend: Int32 {
        case copy = 0, mirror = 1
    }

    /// The image placed at (x, y) in a `width` × `height` canvas, the rest filled by `extend`.
    func embedded(x: Int, y: Int, width: Int, height: Int, extend: Extend) throws(VipsError) -> VipsImage {
        try Self.make("embed") { hs_vips_embed(pointer, Int32(x), Int32(y), Int32(width), Int32(height), extend.rawValue, $0) }
    }

    /// Two float bands holding each pixel's x and y.
    static func coordinates(width: Int, height: Int) throws(VipsError) -> VipsImage {
        try Vips.start()
        return try make("xyz") { hs_vips_xyz(Int32(width), Int32(height), $0) }
    }

    /// Per band: band·a + b in float (a single coefficient applies to every band).
    func linear(_ a: [Double], _ b: [Double]) throws(VipsError) -> VipsImage {
        precondition(a.count == b.count && !a.isEmpty)
        return try Self.make("linear") { out in
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
                hs_vips_linear_float(pointer, ap.baseAddress, bp.baseAddress, Int32(a.count), out)
            } }
        }
    }

    func scaled(_ factor: Double, plus offset: Double = 0) throws(VipsError) -> VipsImage { try linear([factor], [offset]) }

    func adding(_ other: VipsImage) throws(VipsError) -> VipsImage { try Self.make("add") { hs_vips_arith(pointer, other.pointer, 0, $0) } }
    func subtracting(_ other: VipsImage) throws(VipsError) -> VipsImage { try Self.make("subtract") { hs_vips_arith(pointer, other.pointer, 1, $0) } }
    func multiplying(_ other: VipsImage) throws(VipsError) -> VipsImage { try Self.make("multiply") { hs_vips_arith(pointer, other.pointer, 2, $0) } }

    func raised(to exponent: Double) throws(VipsError) -> VipsImage { try Self.make("pow") { hs_vips_pow(pointer, exponent, $0) } }
    func clamped(_ low: Double, _ high: Double) throws(VipsError) -> VipsImage { try Self.make("clamp") { hs_vips_clamp(pointer, low, high, $0) } }
    /// Clamped to 8 bits (fractions dropped: a bias of half a level nobody can see, for one pass less).
    func uchar() throws(VipsError) -> VipsImage { try Self.make("cast") { hs_vips_cast_uchar(pointer, $0) } }

    static func joined(_ bands: [VipsImage]) throws(VipsError) -> VipsImage {
        var pointers: [OpaquePointer?] = bands.map(\.pointer)
        return try make("bandjoin") { out in pointers.withUnsafeMutableBufferPointer { hs_vips_bandjoin($0.baseAddress, Int32(bands.count), out) } }
    }

    func band(_ index: Int, count: Int = 1) throws(VipsError) -> VipsImage {
        try Self.make("extract_band") { hs_vips_extract_band(pointer, Int32(index), Int32(count), $0) }
    }

    func converted(to space: Space) throws(VipsError) -> VipsImage {
        try Self.make("colourspace") { hs_vips_colourspace(pointer, space.rawValue, $0) }
    }

    func interpreted(as space: Space) throws(VipsError) -> VipsImage {
        try Self.make("copy") { hs_vips_interpret(pointer, space.rawValue, $0) }
    }

    func bandMeans() throws(VipsError) -> [Double] {
        var means = [Double](repeating: 0, count: bands)
        guard hs_vips_band_means(pointer, &means, Int32(means.count)) == 0 else {
            throw VipsError(operation: "stats", message: Vips.takeError())
        }
        return means
    }

    /// Shrunk by an integer factor with a box filter: fast, for estimates that are blurred anyway.
    func shrunk(by factor: Int) throws(VipsError) -> VipsImage {
        try Self.make("shrink") { hs_vips_shrink(pointer, Int32(factor), $0) }
    }

    /// Resized (bilinear) to exactly `width` × `height`: for smooth fields worked out small.
    func resized(toWidth width: Int, height: Int) throws(VipsError) -> VipsImage {
        let image = try Self.make("resize") {
            hs_vips_resize_linear(pointer, Double(width) / Double(self.width), Double(height) / Double(self.height), $0)
        }
        guard image.width != width || image.height != height else { return image }
        // Rounding can leave a pixel too many or too few: trim, then repeat the edge.
        return try image.cropped(to: PixelRect(x: 0, y: 0, width: min(width, image.width), height: min(height, image.height)))
            .embedded(x: 0, y: 0, width: width, height: height, extend: .copy)
    }

    func inserting(_ sub: VipsImage, x: Int, y: Int) throws(VipsError) -> VipsImage {
        try Self.make("insert") { hs_vips_insert(pointer, sub.pointer, Int32(x), Int32(y), $0) }
    }

    func sharpened(sigma: Double, amount: Double) throws(VipsError) -> VipsImage {
        try Self.make("sharpen") { hs_vips_sharpen(pointer, sigma, amount, $0) }
    }

    static func grid(_ images: [VipsImage], across: Int, gap: Int, background: Double) throws(VipsError) -> VipsImage {
        var pointers: [OpaquePointer?] = images.map(\.pointer)
        return try make("arrayjoin") { out in
            pointers.withUnsafeMutableBufferPointer { hs_vips_arrayjoin($0.baseAddress, Int32(images.count), Int32(across), Int32(gap), background, out) }
        }
    }
}

extension VipsImage {
    /// The sum of all bands, one float band.
    func bandSum() throws(VipsError) -> VipsImage {
        var sum = try band(0).scaled(1)
        for index in 1..<max(bands, 1) { sum = try sum.adding(try band(index)) }
        return sum
    }
}
