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
        let spread = try normalisedBlur(small, weight: smallAlpha, sigma: sigma, floor: 1e-3).colour.uchar()
        let spreadPixels = try spread.pixels(), personPixels = try person.pixels()
        let backgroundPixels = try background.pixels(), mattePixels = try matte.pixels()
        var out = [UInt8](repeating: 0, count: person.width * person.height * 3)
        try OpenCV.call("composite") {
            hs_composite(personPixels, backgroundPixels, mattePixels, Int32(person.width), Int32(person.height),
                         spreadPixels, Int32(spread.width), Int32(spread.height), &out, $0, $1)
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
        let near = try normalisedBlur(small, weight: weight, sigma: sigma, floor: 1e-4)
        // The wide estimate (4σ) is worked at a further quarter of the size, with σ scaled to match.
        let tiny = try small.shrunk(by: 4).materialised()
        let tinyWeight = try weight.resized(toWidth: tiny.width, height: tiny.height).materialised()
        let far = try normalisedBlur(tiny, weight: tinyWeight, sigma: sigma, floor: 1e-4).colour.resized(toWidth: small.width, height: small.height)
        let trustNear = try near.coverage.scaled(4).clamped(0, 1).materialised()
        let mixed = try far.adding(try near.colour.subtracting(far).multiplying(trustNear))
        return try mixed.uchar().materialised().resized(toWidth: photo.width, height: photo.height).interpreted(as: .sRGB)
    }

    /// A blur in which each pixel counts by its weight (0…1), divided by the blurred weight: colours
    /// spread from where the weight is, into where it is not. Also returns the blurred weight (how
    /// much weighted area each pixel found); `floor` keeps the division finite where it found none.
    /// Both are materialised: callers read them more than once.
    private static func normalisedBlur(_ image: VipsImage, weight: VipsImage, sigma: Double, floor: Double) throws
        -> (colour: VipsImage, coverage: VipsImage) {
        let coverage = try weight.gaussianBlurred(sigma: sigma).materialised()
        let weighted = try image.multiplying(weight).gaussianBlurred(sigma: sigma)
        return (try weighted.dividing(try coverage.scaled(1, plus: floor)).materialised(), coverage)
    }
}
