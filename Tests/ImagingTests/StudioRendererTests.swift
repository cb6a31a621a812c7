import Foundation
import Testing
@testable import Imaging

/// The studio renderer on the person-a fixtures: every preset passes the quality gate and stays the
/// same person; a stranger's photo does not; the backdrop survives compositing at the corners; the
/// face keeps its hue; Monochrome has no colour; the file says how it was made and nothing else.
@Suite(.serialized) struct StudioRendererTests {
    static let renderer = engine.renderer

    /// The person-a descriptors, measured once for the suite.
    actor ReferenceCache {
        private var descriptors: [[Float]]?

        func get() async throws -> [[Float]] {
            if let descriptors { return descriptors }
            var measured: [[Float]] = []
            for fixture in Fixture.personA {
                if let descriptor = try await inspector.inspect(try Fixture.bytes(fixture)).report.descriptor { measured.append(descriptor) }
            }
            descriptors = measured
            return measured
        }
    }

    static let referenceCache = ReferenceCache()

    static let source = StudioSource(id: 1, jpeg: (try? Fixture.bytes("faces/person-a/img1.jpg")) ?? [])

    static func render(_ id: String, variation: StudioVariation = .number(0), source: StudioSource = source) async throws -> StudioHeadshot {
        let headshot = try await renderer.render(source, look: try #require(StudioLook.named(id)), variation: variation, references: try await referenceCache.get())
        artifact("studio-\(id).jpg", headshot.jpeg)
        return headshot
    }

    static func artifact(_ name: String, _ bytes: [UInt8]) {
        let directory = ProcessInfo.processInfo.environment["ARTIFACTS_DIR"] ?? Fixture.packageRoot.appendingPathComponent("artifacts").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// Mean CIELAB of a patch.
    static func lab(_ image: VipsImage, _ rect: PixelRect) throws -> [Double] {
        try image.cropped(to: rect).converted(to: .lab).bandMeans()
    }

    static func deltaE(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }

    static func hue(_ lab: [Double]) -> Double { atan2(lab[2], lab[1]) * 180 / .pi }

    @Test(arguments: StudioLook.all.map(\.id))
    func eachPresetPassesTheQualityGateAndIsStillThePerson(_ id: String) async throws {
        let headshot = try await Self.render(id)
        #expect(headshot.width == 1600 && headshot.height == 2000)
        #expect(headshot.report.verdict == .pass, "\(headshot.report.findings.filter { $0.verdict != .pass })")
        #expect(headshot.report.faceBox != nil && headshot.report.findings.first { $0.code == .multipleFaces }?.verdict == .pass)
        #expect(headshot.identityDistance <= 0.45, "identity \(headshot.identityDistance)")
        // What libvips wrote: the XMP packet with the source type, no EXIF, no ICC, no IPTC.
        let markers = JPEGSegments.markers(headshot.jpeg)
        #expect(markers.filter { $0 == 0xE1 }.count == 1 && !markers.contains(0xE2) && !markers.contains(0xED), "\(markers)")
        let text = String(decoding: headshot.jpeg.prefix(4096), as: UTF8.self)
        #expect(!text.contains("Exif") && !text.contains("GPS"))
        #expect(text.contains("Iptc4xmpExt:DigitalSourceType=\"\(try #require(StudioLook.named(id)).digitalSourceType)\""))
    }

    /// The output check looks for the face only around where the warp put it (`PhotoAnalyzer.detectNear`):
    /// it finds the face a search of the whole picture finds, and the descriptor fitted from it is the same
    /// person's; a guess where there is no face falls back to the whole picture.
    @Test func theOutputCheckFindsTheFaceWhereTheWarpPutItAsASearchOfTheWholePictureDoes() async throws {
        let jpeg = try await Self.render("corporate-grey").jpeg
        let pixels = StudioPipeline.outputDetectionPixels
        let (whole, near, nearOnly, wrong) = try await inspector.onPool { session in
            let image = try VipsImage.decodeNormalised(jpeg, maxSide: 4096, timeLimit: 10).materialised()
            let photo = DecodedPhoto(format: .jpeg, originalWidth: image.width, originalHeight: image.height, image: image, jpeg: jpeg)
            let whole = try PhotoAnalyzer.measure(photo, session: session, detectionPixels: pixels)
            let expected = ImageRect.enclosing(whole.primary?.landmarks ?? [])
            let near = try PhotoAnalyzer.measure(photo, session: session, detectionPixels: pixels, expectedFace: expected)
            // The crop search alone, on the detection copy the check uses.
            let scale = (pixels / Double(image.width * image.height)).squareRoot()
            let small = try image.resized(by: scale).materialised()
            let nearOnly = try PhotoAnalyzer.detectNear(expected.scaled(by: scale), in: small, session: session).map { $0.box.scaled(by: 1 / scale) }
            let wrong = try PhotoAnalyzer.measure(photo, session: session, detectionPixels: pixels, expectedFace: ImageRect(x: 0, y: 0, width: 120, height: 120))
            return (whole, near, nearOnly, wrong)
        }
        func overlap(_ a: ImageRect, _ b: ImageRect) -> Double {
            let w = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x)), h = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
            return w * h / (a.width * a.height + b.width * b.height - w * h)
        }
        let box = try #require(whole.primary?.box)
        #expect(nearOnly.count == 1)
        let found = try #require(nearOnly.first), nearBox = try #require(near.primary?.box)
        #expect(overlap(found, box) > 0.7, "\(found) against \(box)")
        #expect(overlap(nearBox, box) > 0.7, "\(nearBox) against \(box)")
        #expect(near.faces.count == 1)
        let distance = SetEvaluator.distance(try #require(near.primary?.descriptor), try #require(whole.primary?.descriptor))
        #expect(distance < 0.05, "descriptor moved by \(distance)")
        // Only the region around the face is brought down; the landmarks land where the whole copy puts them.
        let width = try #require(whole.primary?.width)
        let moved = zip(try #require(near.primary?.landmarks), try #require(whole.primary?.landmarks)).map { $0.distance(to: $1) }.max() ?? .infinity
        #expect(moved < 0.03 * width, "a landmark moved by \(moved) px on a \(width) px face")
        #expect(whole.imageHash != nil && whole.borderColour != nil, "an upload's set fingerprint is measured")
        #expect(near.imageHash == nil && near.borderColour == nil, "an output, never compared as a set, skips it")
        #expect(wrong.primary?.box == box, "a guess with no face in it searches the whole picture")
    }

    @Test func aStrangersPhotoIsFarBeyondTheIdentityThreshold() async throws {
        let stranger = StudioSource(id: 99, jpeg: try Fixture.bytes("faces/singles/obama.jpg"))
        let headshot = try await Self.render("corporate-grey", source: stranger)
        #expect(headshot.identityDistance > 0.6, "identity \(headshot.identityDistance)")
    }

    @Test(arguments: ["corporate-grey", "executive-navy", "bright-white", "monochrome-classic"])
    func theDrawnBackdropIsIntactAtTheTopCorners(_ id: String) async throws {
        let look = try #require(StudioLook.named(id))
        guard case .backdrop(let centre, let edge) = look.background else { Issue.record("not a backdrop"); return }
        let variation = StudioVariation.number(0)
        let headshot = try await Self.render(id, variation: variation)
        let output = try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10)
        let backdrop = try Backdrop.draw(width: output.width, height: output.height, centre: centre, edge: edge, variation: variation,
                                           grain: try Backdrop.Grain()).vips()
        for corner in [PixelRect(x: 20, y: 20, width: 60, height: 60), PixelRect(x: output.width - 80, y: 20, width: 60, height: 60)] {
            let difference = Self.deltaE(try Self.lab(output, corner), try Self.lab(backdrop, corner))
            #expect(difference < 10, "ΔE \(difference) at \(corner)")
        }
        // The backdrop runs from the preset's centre colour behind the head to its edge colour.
        let middle = try Self.lab(backdrop, PixelRect(x: output.width / 2 + 70, y: output.height / 3, width: 40, height: 40))
        let centreLab = try Self.lab(try VipsImage.fromPixels(centre.map { UInt8($0) }, width: 1, height: 1, bands: 3), PixelRect(x: 0, y: 0, width: 1, height: 1))
        #expect(Self.deltaE(middle, centreLab) < 10)
    }

    @Test(arguments: ["corporate-grey", "executive-navy", "bright-white", "modern-office"])
    func theFaceKeepsItsHue(_ id: String) async throws {
        let before = try VipsImage.decodeNormalised(Self.source.jpeg, maxSide: 4096, timeLimit: 10)
        let sourceFace = try #require(try await inspector.inspect(Self.source.jpeg).report.landmarks)
        let headshot = try await Self.render(id)
        let outputFace = try #require(try await inspector.inspect(headshot.jpeg).report.landmarks)
        let after = try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10)
        let skinBefore = try Grade.skin(of: before, landmarks: sourceFace)
        let skinAfter = try Grade.skin(of: after, landmarks: outputFace)
        let change = abs(Self.hue([0, skinAfter.a, skinAfter.b]) - Self.hue([0, skinBefore.a, skinBefore.b]))
        #expect(change < 8, "skin hue moved \(change)°")
    }

    @Test func monochromeHasNoColourLeft() async throws {
        let headshot = try await Self.render("monochrome-classic")
        let lab = try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10).converted(to: .lab)
        let chroma = try lab.band(1).multiplying(lab.band(1)).adding(try lab.band(2).multiplying(lab.band(2))).raised(to: 0.5)
        let mean = try chroma.mean(), coloured = try chroma.uchar().fraction(atLeast: 4)
        #expect(mean < 1.0, "mean chroma \(mean)")
        #expect(coloured < 0.001, "share of pixels with visible colour: \(coloured)")
    }

    /// A team's brand colour paints every drawn backdrop: behind the head the colour itself, at the
    /// corners its darker shade, exactly as `Backdrop` draws it; the person stays the person.
    @Test(arguments: [("corporate-grey", "#1f6e43"), ("bright-white", "#f2c94c")])
    func aTeamsBrandColourPaintsTheDrawnBackdrop(_ id: String, _ hex: String) async throws {
        let colour = try #require(BackdropColour(hex: hex))
        let look = try #require(StudioLook.named(id)).branded(colour)
        guard case .backdrop(let centre, let edge) = look.background else { Issue.record("not a backdrop"); return }
        #expect(centre == [Double(colour.red), Double(colour.green), Double(colour.blue)])
        let variation = StudioVariation.number(0)
        let headshot = try await Self.renderer.render(Self.source, look: look, variation: variation, references: try await Self.referenceCache.get())
        Self.artifact("studio-\(id)-branded.jpg", headshot.jpeg)
        #expect(headshot.report.verdict == .pass && headshot.identityDistance <= 0.45, "identity \(headshot.identityDistance)")
        let output = try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10)
        let backdrop = try Backdrop.draw(width: output.width, height: output.height, centre: centre, edge: edge, variation: variation,
                                           grain: try Backdrop.Grain()).vips()
        let brand = try Self.lab(try VipsImage.fromPixels([colour.red, colour.green, colour.blue], width: 1, height: 1, bands: 3), PixelRect(x: 0, y: 0, width: 1, height: 1))
        for corner in [PixelRect(x: 20, y: 20, width: 60, height: 60), PixelRect(x: output.width - 80, y: 20, width: 60, height: 60)] {
            let seen = try Self.lab(output, corner)
            #expect(Self.deltaE(seen, try Self.lab(backdrop, corner)) < 10, "ΔE to the drawn backdrop at \(corner)")
            // The corner is the brand's hue (a darker shade of it), not the preset's own grey or white.
            #expect(abs(Self.hue(seen) - Self.hue(brand)) < 12, "hue \(Self.hue(seen)) against the brand's \(Self.hue(brand))")
        }
        let middle = try Self.lab(backdrop, PixelRect(x: output.width / 2 + 70, y: output.height / 3, width: 40, height: 40))
        #expect(Self.deltaE(middle, brand) < 10, "behind the head: ΔE \(Self.deltaE(middle, brand)) to the brand colour")
    }

    @Test func aBrandColourLeavesTheOfficeAndIsWrittenAsHex() throws {
        let office = try #require(StudioLook.named("modern-office"))
        #expect(office.branded(BackdropColour(hex: "#1f6e43")) == office)
        #expect(BackdropColour(hex: "#1F4E79")?.hex == "#1f4e79")
        #expect(BackdropColour(hex: "#000000")?.hex == "#000000")
        for bad in ["1f4e79", "#1f4e7", "#1f4e799", "#+1f4e7", "#1g4e79", "", "#"] {
            #expect(BackdropColour(hex: bad) == nil, "\(bad)")
        }
    }
}
