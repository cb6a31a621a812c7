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
    /// Modern Office's surroundings are worked out on a copy of the photo this many times smaller.
    static let surroundingsShrink = 8

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

    /// The person's own surroundings without the person, blurred like a fast lens, as Modern
    /// Office's backdrop; worked out once per photo, in the photo's own coordinates, from a copy an
    /// eighth of its size (the result is blurred far more than that anyway). It is padded on every
    /// side, so a frame reaching past the photo finds the surroundings continued; the matte is
    /// padded alike, so the continued person is left out too.
    struct Surroundings {
        let raster: Raster
        /// Photo point p sits at `scale`·p + `origin` in `raster`.
        let scale: Double
        let origin: ImagePoint
    }

    /// Only background pixels contribute (a matte-weighted, normalised blur); where the person
    /// covers a wide area the blur at that scale finds no background, so a four times wider one
    /// fills in, and past that the mean background colour. `reduced` is the photo shrunk by `surroundingsShrink`.
    static func surroundings(of reduced: VipsImage, matte: VipsImage, photoWidth: Int) throws -> Surroundings {
        let margin = max(reduced.width, reduced.height) / 2
        // Above the photo its top rows go on (sky, wall, ceiling), so the head leaves no mirrored
        // hole to fill there; to the sides and below, the surroundings are mirrored.
        func padded(_ image: VipsImage) throws -> VipsImage {
            try image.embedded(x: 0, y: margin, width: image.width, height: image.height + margin, extend: .copy)
                .embedded(x: margin, y: 0, width: image.width + 2 * margin, height: image.height + 2 * margin, extend: .mirror)
        }
        let small = try padded(reduced).materialised()
        // The person grown by a ring before it is left out: hair tips and soft edges the matte
        // calls only partly person would otherwise bleed into the blur as a shadow of the head.
        let ring = Double(reduced.width) / 200
        let weight = try padded(try matte.resized(toWidth: reduced.width, height: reduced.height))
            .gaussianBlurred(sigma: ring).scaled(-2 / 255, plus: 1).clamped(0, 1).raised(to: 2).materialised()
        let sigma = Double(reduced.width) / 45
        let near = try normalisedBlur(small, weight: weight, sigma: sigma, floor: 1e-4)
        // The wide estimate (4σ) is worked at a further quarter of the size, with σ scaled to match.
        let tiny = try small.shrunk(by: 4).materialised()
        let tinyWeight = try weight.resized(toWidth: tiny.width, height: tiny.height).materialised()
        let wide = try normalisedBlur(tiny, weight: tinyWeight, sigma: sigma, floor: 1e-4)
        // Where even that finds none (a body filling the photo's bottom, mirrored on below it), the
        // photo's mean background colour; mid-grey when the photo is all person.
        let total = try weight.mean()
        let mean = total < 1e-4 ? [128.0, 128, 128] : try small.multiplying(weight).bandMeans().map { $0 / total }
        let trustWide = try wide.coverage.scaled(4).clamped(0, 1)
        let far = try wide.colour.linear([1, 1, 1], mean.map { -$0 }).multiplying(trustWide).linear([1, 1, 1], mean)
            .materialised().resized(toWidth: small.width, height: small.height)
        let trustNear = try near.coverage.scaled(4).clamped(0, 1).materialised()
        let mixed = try far.adding(try near.colour.subtracting(far).multiplying(trustNear)).uchar().materialised()
        return Surroundings(raster: try Raster(mixed), scale: Double(reduced.width) / Double(photoWidth),
                            origin: ImagePoint(x: Double(margin), y: Double(margin)))
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
