import Foundation

/// The stages of one headshot, run on one renderer thread with its session.
enum StudioPipeline {
    /// The matte's edge is softened by this much (output pixels) before compositing.
    static let featherSigma = 1.2
    static let jpegQuality = 92
    /// Outputs are checked on a copy this small: the face fills a third of a headshot's width, far
    /// above the detector's 80 px minimum even at 0.35 MP (an upload may hold a small face, so the
    /// gate uses 0.75 MP there).
    static let outputDetectionPixels = 350_000.0

    static func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]],
                       session: StudioRenderer.Session) throws -> StudioHeadshot {
        let clock = ContinuousClock()
        var times = StudioTimes()
        let start = clock.now
        var mark = start
        func lap(_ stage: WritableKeyPath<StudioTimes, Duration>) {
            let now = clock.now
            times[keyPath: stage] += now - mark
            mark = now
        }

        let prepared = try prepare(source, session: session, times: &times)
        mark = clock.now
        let framing = Framing.fitting(landmarks: prepared.landmarks, headShare: variation.headShare,
                                      sourceWidth: prepared.image.width, sourceHeight: prepared.image.height)
        // Past the photo's edges the person and the matte both repeat the edge, so they agree there.
        let person = try framing.apply(to: prepared.image, extend: .copy).materialised()
        let matteScale = Double(prepared.matte.width) / Double(prepared.image.width)
        let matte = try framing.apply(to: prepared.matte, sourceScale: matteScale, extend: .copy)
            .gaussianBlurred(sigma: featherSigma).materialised()
        let landmarks = prepared.landmarks.map(framing.map)
        lap(\.framing)

        let retouched = try Retouch.apply(to: person, landmarks: landmarks).materialised()
        lap(\.retouch)
        let graded = try Grade.apply(look, to: retouched, landmarks: landmarks, variation: variation).materialised()
        lap(\.grade)

        let background: VipsImage
        switch look.background {
        case .backdrop(let centre, let edge):
            background = try Backdrop.draw(width: framing.width, height: framing.height, centre: centre, edge: edge, variation: variation)
                .materialised()
        case .ownBlurred:
            // Surroundings continue past the photo's edges as their mirror image (the person too, so
            // the matte is mirrored the same way and they are left out).
            let photo = try framing.apply(to: prepared.image, extend: .mirror)
            let mirrored = try framing.apply(to: prepared.matte, sourceScale: matteScale, extend: .mirror)
            background = try Compositor.blurredSurroundings(photo, matte: mirrored).materialised()
        }
        lap(\.background)
        var result = try Compositor.composite(person: graded, background: background, matte: matte)
        if look.monochrome { result = try result.converted(to: .bw).converted(to: .sRGB) }
        result = try result.materialised()
        lap(\.composite)

        let jpeg = XMPLabel.labelled(try result.jpeg(quality: jpegQuality),
                                     packet: XMPLabel.packet(sourceType: look.digitalSourceType, tool: "Headshot Studio studio renderer (\(look.id))"))
        lap(\.encode)

        // The output goes through the same quality gate as an upload, and must still be the customer.
        let photo = DecodedPhoto(format: .jpeg, originalWidth: result.width, originalHeight: result.height, image: result, jpeg: jpeg)
        let measurements = try PhotoAnalyzer.measure(photo, session: session.faces, detectionPixels: outputDetectionPixels)
        let report = PhotoReport(format: .jpeg, measurements: measurements)
        let descriptor = measurements.primary?.descriptor ?? []
        let distance = descriptor.isEmpty || references.isEmpty
            ? Double.infinity
            : references.map { SetEvaluator.distance(descriptor, $0) }.reduce(0, +) / Double(references.count)
        lap(\.identity)
        times.total = clock.now - start
        return StudioHeadshot(jpeg: jpeg, width: result.width, height: result.height, identityDistance: distance,
                              report: report.withoutBiometrics(), hash: measurements.imageHash, times: times)
    }

    /// The decoded source, its landmarks and its matte, from the session's cache when it has them.
    static func prepare(_ source: StudioSource, session: StudioRenderer.Session, times: inout StudioTimes) throws -> StudioRenderer.Prepared {
        if let hit = session.prepared.first(where: { $0.id == source.id }) { return hit.source }
        let clock = ContinuousClock()
        let start = clock.now
        let image = try VipsImage.decodeNormalised(source.jpeg, maxSide: StudioRenderer.sourceSide, timeLimit: 30).materialised()
        let photo = DecodedPhoto(format: .jpeg, originalWidth: image.width, originalHeight: image.height, image: image, jpeg: source.jpeg)
        guard let face = try PhotoAnalyzer.measure(photo, session: session.faces).primary else { throw StudioError.noFace }
        times.prepare += clock.now - start
        let matteStart = clock.now
        let matte = try session.segmenter.matte(of: image).materialised()
        times.matte += clock.now - matteStart
        let prepared = StudioRenderer.Prepared(image: image, landmarks: face.landmarks, matte: matte)
        session.prepared.insert((source.id, prepared), at: 0)
        if session.prepared.count > StudioRenderer.cachedSources { session.prepared.removeLast() }
        return prepared
    }
}
