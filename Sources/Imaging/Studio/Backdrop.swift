import Foundation

/// Procedurally drawn studio backdrops: a seamless radial gradient, brightest behind the head and
/// falling off softly to the corners (the vignette), with fine grain added before quantising to
/// 8 bits so the gradient never bands.
enum Backdrop {
    /// Fine grain, in 8-bit levels (σ): enough to dither a smooth gradient, too little to see.
    static let grain = 1.1

    static func draw(width: Int, height: Int, centre: [Double], edge: [Double], variation: StudioVariation) throws -> VipsImage {
        let w = Double(width), h = Double(height)
        // The light spot sits behind the head, a little towards the key light's side.
        let cx = w * (0.5 - 0.08 * variation.lightSide), cy = h * 0.33
        let xy = try VipsImage.coordinates(width: width, height: height)
        let dx = try xy.band(0).scaled(1 / w, plus: -cx / w)
        let dy = try xy.band(1).scaled(0.8 / h, plus: -0.8 * cy / h)
        let distance = try dx.multiplying(dx).adding(try dy.multiplying(dy)).raised(to: 0.5)
        // 0 at the light spot, 1 from about the corners on; the 1.6 power keeps the centre broad.
        let t = try distance.scaled(1 / 0.72).clamped(0, 1).raised(to: 1.6)
        let brightness = 1 + 0.07 * variation.tone
        let noise = try VipsImage.noise(width: width, height: height, sigma: grain, seed: variation.seed)
        let bands = try (0..<3).map { band throws -> VipsImage in
            let from = centre[band] * brightness, to = edge[band] * brightness
            return try t.scaled(to - from, plus: from).adding(noise)
        }
        return try VipsImage.joined(bands).uchar().interpreted(as: .sRGB)
    }
}

/// Puts the person over a new background through the matte, cleaning the edge colours first: at
/// the matte's soft edge the photo's pixels still carry the old background, so there the person's
/// colour is taken from nearby person pixels instead (a matte-weighted blur), and no halo shows.
enum Compositor {
    static func composite(person: VipsImage, background: VipsImage, matte: VipsImage) throws -> VipsImage {
        let alpha = try matte.scaled(1 / 255)
        let sigma = max(2, Double(person.width) / 120)
        let weighted = try person.multiplying(alpha).gaussianBlurred(sigma: sigma)
        let coverage = try alpha.gaussianBlurred(sigma: sigma).scaled(1, plus: 1e-3)
        let spread = try weighted.dividing(coverage)
        // Trust the photo where the matte is solid, the spread colour where it is thin.
        let trust = try alpha.multiplying(alpha)
        let cleaned = try person.multiplying(trust).adding(try spread.multiplying(try trust.scaled(-1, plus: 1)))
        let result = try cleaned.multiplying(alpha).adding(try background.multiplying(try alpha.scaled(-1, plus: 1)))
        return try result.uchar().interpreted(as: .sRGB)
    }

    /// The person's own surroundings without the person, blurred like a fast lens, as Modern
    /// Office's backdrop. Only background pixels contribute (a matte-weighted, normalised blur); where
    /// the person covers a wide area the blur at that scale finds no background, so a four times
    /// wider one fills in. Worked at a quarter of the size: the result is smooth anyway.
    static func blurredSurroundings(_ photo: VipsImage, matte: VipsImage) throws -> VipsImage {
        let shrink = 0.25
        let small = try photo.resized(by: shrink).materialised()
        let weight = try matte.resized(horizontal: Double(small.width) / Double(matte.width), vertical: Double(small.height) / Double(matte.height))
            .scaled(-1 / 255, plus: 1).clamped(0, 1).raised(to: 2).materialised()
        let sigma = Double(small.width) / 70
        func estimate(_ sigma: Double) throws -> (colour: VipsImage, coverage: VipsImage) {
            let weighted = try small.multiplying(weight).gaussianBlurred(sigma: sigma)
            let coverage = try weight.gaussianBlurred(sigma: sigma)
            return (try weighted.dividing(try coverage.scaled(1, plus: 1e-4)), coverage)
        }
        let near = try estimate(sigma), far = try estimate(4 * sigma)
        let trustNear = try near.coverage.scaled(4).clamped(0, 1)
        let mixed = try near.colour.multiplying(trustNear).adding(try far.colour.multiplying(try trustNear.scaled(-1, plus: 1)))
        return try mixed.resized(horizontal: Double(photo.width) / Double(small.width), vertical: Double(photo.height) / Double(small.height))
            .uchar().interpreted(as: .sRGB)
    }
}
