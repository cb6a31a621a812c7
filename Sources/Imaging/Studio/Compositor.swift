import COpenCVShim
import Foundation

/// Puts the person over a new background through the matte, cleaning the edge colours first: at
/// the matte's soft edge the photo's pixels still carry the old background, so there the person's
/// colour is taken from nearby person pixels instead (a matte-weighted blur), and no halo shows.
enum Compositor {
    static func composite(person: VipsImage, background: VipsImage, matte: VipsImage) throws -> VipsImage {
        // The spread colour only matters at the soft edge and is smooth: worked out at 1/4 size, and
        // enlarged inside the blend (OpenCV, one vectorised pass with the two blends).
        let small = try person.shrunk(by: 4).materialised()
        let smallAlpha = try matte.resized(toWidth: small.width, height: small.height).scaled(1 / 255).materialised()
        let sigma = max(1, Double(small.width) / 120)
        let weighted = try small.multiplying(smallAlpha).gaussianBlurred(sigma: sigma)
        let coverage = try smallAlpha.gaussianBlurred(sigma: sigma).scaled(1, plus: 1e-3)
        let spread = try weighted.dividing(coverage).uchar()
        let spreadPixels = try spread.pixels()
        var out = [UInt8](repeating: 0, count: person.width * person.height * 3)
        var error = [CChar](repeating: 0, count: 256)
        guard hs_composite(try person.pixels(), try background.pixels(), try matte.pixels(), Int32(person.width), Int32(person.height),
                           spreadPixels, Int32(spread.width), Int32(spread.height), &out, &error, error.count) == 0 else {
            throw SegmentationError(message: String(errorBuffer: error))
        }
        return try VipsImage.fromPixels(out, width: person.width, height: person.height, bands: 3)
    }

    /// The person's own surroundings without the person, blurred like a fast lens, as Modern
    /// Office's backdrop. Only background pixels contribute (a matte-weighted, normalised blur); where
    /// the person covers a wide area the blur at that scale finds no background, so a four times
    /// wider one fills in. Worked at a quarter of the size: the result is smooth anyway.
    static func blurredSurroundings(_ photo: VipsImage, matte: VipsImage) throws -> VipsImage {
        let small = try photo.shrunk(by: 4).materialised()
        let weight = try matte.resized(toWidth: small.width, height: small.height)
            .scaled(-1 / 255, plus: 1).clamped(0, 1).raised(to: 2).materialised()
        let sigma = Double(small.width) / 70
        /// Normalised blur of `image` at `sigma`, with how much background it found (both materialised:
        /// each is read more than once).
        func estimate(_ image: VipsImage, _ weight: VipsImage, _ sigma: Double) throws -> (colour: VipsImage, coverage: VipsImage) {
            let coverage = try weight.gaussianBlurred(sigma: sigma).materialised()
            let weighted = try image.multiplying(weight).gaussianBlurred(sigma: sigma)
            return (try weighted.dividing(try coverage.scaled(1, plus: 1e-4)).materialised(), coverage)
        }
        let near = try estimate(small, weight, sigma)
        // The wide estimate (4σ) is worked at a further quarter of the size, with σ scaled to match.
        let tiny = try small.shrunk(by: 4).materialised()
        let tinyWeight = try weight.resized(toWidth: tiny.width, height: tiny.height).materialised()
        let far = try estimate(tiny, tinyWeight, sigma).colour.resized(toWidth: small.width, height: small.height)
        let trustNear = try near.coverage.scaled(4).clamped(0, 1).materialised()
        let mixed = try far.adding(try near.colour.subtracting(far).multiplying(trustNear))
        return try mixed.uchar().materialised().resized(toWidth: photo.width, height: photo.height).interpreted(as: .sRGB)
    }
}
