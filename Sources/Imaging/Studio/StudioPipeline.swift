import Foundation

/// The stages of one headshot, run on one renderer thread with its session.
enum StudioPipeline {
    /// The matte's edge is softened by this much (output pixels) before compositing.
    static let featherSigma = 1.2
    static let jpegQuality = 92
    /// How far the rim light lifts the silhouette's edge towards white.
    static let rimStrength = 0.35
    /// Outputs are checked on a copy this small: the face fills a third of a headshot's width, far
    /// above the detector's 80 px minimum even at 0.35 MP (an upload may hold a small face, so the
    /// gate uses 0.75 MP there).
    static let outputDetectionPixels = 350_000.0

    static func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]],
                       prepared cache: PreparedSources, session: ImagingSession) throws -> StudioHeadshot {
        let start = ContinuousClock.now
        var times = StudioTimes()
        let prepared = try prepare(source, cache: cache, session: session, times: &times)
        let photo = prepared.pixels
        let matteScale = Double(prepared.matte.width) / Double(photo.width)
        // The framing asked for, or the next tighter one the photo allows; a photo that ends at the
        // neck gets the tightest close-up and, past its edge, the fade below.
        let choice = ([variation.framing] + [.closeUp, .tight].filter { $0 != variation.framing }).lazy
            .compactMap { kind in
                Framing.choose(kind, landmarks: prepared.landmarks, matte: prepared.matte, matteScale: matteScale,
                               sourceWidth: photo.width, sourceHeight: photo.height, person: 128, extended: true).map { (kind, $0) }
            }.first
        let framing = choice?.1 ?? Framing(landmarks: prepared.landmarks, headShare: ShotFraming.tight.tightestShare)
        let pastEdge = framing.personPastEdge(matte: prepared.matte, matteScale: matteScale, sourceWidth: photo.width, sourceHeight: photo.height)
        var person = try framing.warp(photo, extend: .repeated)
        var matte = try framing.warp(prepared.matte, sourceScale: matteScale, extend: .repeated)
        try matte.blur(sigma: featherSigma)
        if pastEdge > 0, let fade = framing.edgeFade(sourceWidth: photo.width, sourceHeight: photo.height) {
            try matte.multiply(PixelRect(x: 0, y: 0, width: matte.width, height: matte.height), by: fade)
        }
        let landmarks = prepared.landmarks.map(framing.map)
        times.lap(\.framing)

        try Grade.apply(look, to: &person, skin: prepared.skin, landmarks: landmarks, variation: variation)
        // On a dark backdrop a rim light from behind, opposite the key, separates hair and shoulders from it.
        if look.darkBackdrop { try person.rim(matte: matte, fromRight: variation.lightSide > 0, strength: rimStrength) }
        times.lap(\.grade)

        let background: Raster
        switch look.background {
        case .backdrop(let centre, let edge):
            background = try Backdrop.draw(width: framing.width, height: framing.height, centre: centre, edge: edge, variation: variation,
                                       grain: try session.grain())
        case .office:
            background = try Office.draw(width: framing.width, height: framing.height, variation: variation, grain: try session.grain())
        }
        times.lap(\.background)
        var composite = try Compositor.composite(person: person, background: background, matte: matte)
        if look.monochrome { try composite.makeMonochrome() }
        let likeness = Likeness(thumbnail: try composite.greyThumbnail(width: Likeness.width, height: Likeness.height))
        let result = try composite.vips()
        times.lap(\.composite)

        let jpeg = XMPLabel.labelled(try result.jpeg(quality: jpegQuality),
                                     packet: XMPLabel.packet(sourceType: look.digitalSourceType, tool: "Headshot Studio studio renderer (\(look.id))"))
        times.lap(\.encode)

        // The output goes through the same quality gate as an upload, and must still be the customer.
        let output = DecodedPhoto(format: .jpeg, originalWidth: result.width, originalHeight: result.height, image: result, jpeg: jpeg)
        // The face is where the warp put it: the detector looks only there (see `PhotoAnalyzer.detectNear`).
        let measurements = try PhotoAnalyzer.measure(output, session: session.faces, times: &times.check,
                                                     detectionPixels: outputDetectionPixels, expectedFace: .enclosing(landmarks))
        let report = PhotoReport(format: .jpeg, measurements: measurements)
        let descriptor = measurements.primary?.descriptor ?? []
        let distance = descriptor.isEmpty || references.isEmpty
            ? Double.infinity
            : references.map { SetEvaluator.distance(descriptor, $0) }.reduce(0, +) / Double(references.count)
        times.lap(\.identity)
        times.total = ContinuousClock.now - start
        return StudioHeadshot(jpeg: jpeg, width: result.width, height: result.height, identityDistance: distance,
                              report: report.withoutBiometrics(), likeness: likeness, personPastEdge: pastEdge,
                              framing: choice?.0, times: times)
    }

    /// The prepared source, from the renderer's cache when it has it.
    static func prepare(_ source: StudioSource, cache: PreparedSources? = nil, session: ImagingSession,
                        times: inout StudioTimes) throws -> StudioRenderer.Prepared {
        if let hit = cache?.find(source) { return hit }
        let decoded = try VipsImage.decodeNormalised(source.jpeg, maxSide: StudioRenderer.sourceSide, timeLimit: 30).materialised()
        let photo = DecodedPhoto(format: .jpeg, originalWidth: decoded.width, originalHeight: decoded.height, image: decoded, jpeg: source.jpeg)
        guard let face = try PhotoAnalyzer.measure(photo, session: session.faces).primary else { throw StudioError.noFace }
        // No headshot uses more detail than the tightest framing (the largest scale): a sharper
        // source is brought down to it once, so every later step works on fewer pixels.
        let factor = Framing(landmarks: face.landmarks, headShare: Framing.maxHeadShare).scale
        let reduce = factor < 0.95
        let image = reduce ? try decoded.resized(by: factor).materialised() : decoded
        let landmarks = reduce ? face.landmarks.map { ImagePoint(x: $0.x * factor, y: $0.y * factor) } : face.landmarks
        times.lap(\.prepare)
        let matte = try session.segmenter().matte(of: try Raster(image))
        times.lap(\.matte)
        let retouched = try Retouch.apply(to: image, landmarks: landmarks).materialised()
        let skin = try Grade.skin(of: retouched, landmarks: landmarks)
        times.lap(\.retouch)
        let prepared = StudioRenderer.Prepared(pixels: try Compositor.decontaminated(try Raster(retouched), matte: matte), landmarks: landmarks,
                                               matte: matte, skin: skin)
        times.lap(\.decontaminate)
        cache?.keep(prepared, for: source)
        return prepared
    }
}
