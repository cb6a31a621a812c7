import Foundation

/// The stages of one headshot, run on one renderer thread with its session.
enum StudioPipeline {
    /// The matte's edge is softened by this much (output pixels) before compositing.
    static let featherSigma = 1.2
    static let jpegQuality = 92

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
        let framing = Framing(landmarks: prepared.landmarks, headShare: variation.headShare)
        let person = try framing.apply(to: prepared.image, extend: .mirror).materialised()
        let matteScale = Double(prepared.matte.width) / Double(prepared.image.width)
        let matte = try framing.apply(to: prepared.matte, sourceScale: matteScale, extend: .copy)
            .gaussianBlurred(sigma: featherSigma).materialised()
        let landmarks = prepared.landmarks.map(framing.map)
        lap(\.framing)

        let retouched = try Retouch.apply(to: person, landmarks: landmarks)
        lap(\.retouch)
        let graded = try Grade.apply(look, to: retouched, landmarks: landmarks, variation: variation).materialised()
        lap(\.grade)

        let background: VipsImage
        switch look.background {
        case .backdrop(let centre, let edge):
            background = try Backdrop.draw(width: framing.width, height: framing.height, centre: centre, edge: edge, variation: variation)
        case .ownBlurred:
            // The photo was mirrored past its edges, so the person is too: mask them the same way.
            let mirrored = try framing.apply(to: prepared.matte, sourceScale: matteScale, extend: .mirror)
            background = try Compositor.blurredSurroundings(graded, matte: mirrored)
        }
        lap(\.background)
        var result = try Compositor.composite(person: graded, background: background, matte: matte)
        if look.monochrome { result = try result.converted(to: .bw).converted(to: .sRGB) }
        result = try result.materialised()
        lap(\.composite)

        let jpeg = try result.jpeg(quality: jpegQuality, xmp: xmp(look))
        lap(\.encode)

        // The output goes through the same quality gate as an upload, and must still be the customer.
        let photo = DecodedPhoto(format: .jpeg, originalWidth: result.width, originalHeight: result.height, image: result, jpeg: jpeg)
        let measurements = try PhotoAnalyzer.measure(photo, session: session.faces)
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

    /// The output's only metadata: how it was made, in IPTC's vocabulary.
    static func xmp(_ look: StudioLook) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" \
        xmlns:xmp="http://ns.adobe.com/xap/1.0/" Iptc4xmpExt:DigitalSourceType="\(look.digitalSourceType)" \
        xmp:CreatorTool="Headshot Studio studio renderer (\(look.id))"/></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """
    }
}
