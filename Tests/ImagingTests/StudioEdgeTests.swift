import Foundation
import Testing
@testable import Imaging

/// Clean edges: nothing of the customer's own background reaches a headshot. Modern Office is
/// drawn (a photo whose surroundings are painted pure magenta gives an office with no magenta in
/// it), and the matte's soft edge carries the person's colour, not the old background's (no light
/// fringe on a dark backdrop, no dark one on a light backdrop).
@Suite(.serialized) struct StudioEdgeTests {
    /// person-a img1 with the background around the person painted pure magenta, as a JPEG: every
    /// pixel the segmentation network calls background (below one half) that joins the photo's
    /// border. (Background seen through a gap, say between hair and neck, keeps its colour.)
    static func paintedMagenta() throws -> [UInt8] {
        let image = try VipsImage.decodeNormalised(try Fixture.bytes("faces/person-a/img1.jpg"), maxSide: 4096, timeLimit: 10).materialised()
        var photo = try Raster(image)
        let small = try Segmenter(modelPath: SegmenterTests.model).matte(of: photo)
        let matte = try small.vips().resized(toWidth: photo.width, height: photo.height).materialised()
        let alpha = try Raster(matte)
        let w = photo.width, h = photo.height
        var around = [Bool](repeating: false, count: w * h)
        var queue: [Int] = []
        for x in 0..<w { queue.append(x); queue.append((h - 1) * w + x) }
        for y in 0..<h { queue.append(y * w); queue.append(y * w + w - 1) }
        while let index = queue.popLast() {
            guard !around[index], alpha.bytes[index] < 128 else { continue }
            around[index] = true
            let x = index % w, y = index / w
            if x > 0 { queue.append(index - 1) }
            if x < w - 1 { queue.append(index + 1) }
            if y > 0 { queue.append(index - w) }
            if y < h - 1 { queue.append(index + w) }
        }
        for index in 0..<(w * h) where around[index] {
            photo.bytes[3 * index] = 255; photo.bytes[3 * index + 1] = 0; photo.bytes[3 * index + 2] = 255
        }
        return try photo.vips().jpeg(quality: 95)
    }

    /// Whether an sRGB pixel reads as magenta: red and blue both well above green, and close to each other.
    static func isMagenta(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Bool {
        let r = Int(r), g = Int(g), b = Int(b)
        return r - g > 60 && b - g > 60 && abs(r - b) < 70
    }

    @Test func modernOfficeShowsNothingOfTheCustomersOwnBackground() async throws {
        let painted = try Self.paintedMagenta()
        let decodedPainted = try Raster(try VipsImage.decodeNormalised(painted, maxSide: 4096, timeLimit: 10).materialised())
        let paintedShare = Double(stride(from: 0, to: decodedPainted.bytes.count, by: 3).filter {
            Self.isMagenta(decodedPainted.bytes[$0], decodedPainted.bytes[$0 + 1], decodedPainted.bytes[$0 + 2])
        }.count) / Double(decodedPainted.width * decodedPainted.height)
        #expect(paintedShare > 0.3, "the test photo's background is magenta (\(paintedShare))")
        let look = try #require(StudioLook.named("modern-office"))
        func magentaPixels(_ jpeg: [UInt8], variation: StudioVariation, id: Int) async throws -> (count: Int, jpeg: [UInt8]) {
            let headshot = try await StudioRendererTests.renderer.render(StudioSource(id: id, jpeg: jpeg), look: look, variation: variation,
                                                                         references: try await StudioRendererTests.referenceCache.get())
            let output = try Raster(try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10).materialised())
            let count = stride(from: 0, to: output.bytes.count, by: 3).filter { Self.isMagenta(output.bytes[$0], output.bytes[$0 + 1], output.bytes[$0 + 2]) }.count
            return (count, headshot.jpeg)
        }
        for (number, framing) in [ShotFraming.closeUp, .tight, .tightLeft].enumerated() {
            let variation = StudioVariation(framing: framing, seed: number + 1)
            let (magenta, jpeg) = try await magentaPixels(painted, variation: variation, id: 4242)
            let own = try await magentaPixels(try Fixture.bytes("faces/person-a/img1.jpg"), variation: variation, id: 4243).count
            #expect(own == 0, "the measure finds no magenta in the person herself")
            StudioRendererTests.artifact("office-over-magenta-\(framing.rawValue).png", try ContactSheet.png([jpeg], across: 1, cellWidth: 600))
            #expect(magenta == 0, "\(framing.rawValue): \(magenta) magenta pixels")
        }
    }

    /// The rim light lifts only the band of the person along the silhouette's side facing it, towards
    /// white by at most its strength; every other pixel (the person's inside, the other side, the
    /// background) is left exactly as it was.
    @Test(arguments: [true, false]) func theRimLightLiftsOnlyTheSilhouettesEdgeOnItsSide(fromRight: Bool) throws {
        let w = 320, h = 200, grey: UInt8 = 100
        var person = Raster(width: w, height: h, channels: 3)
        person.bytes = [UInt8](repeating: grey, count: w * h * 3)
        var matte = Raster(width: w, height: h, channels: 1)
        for y in 0..<h { for x in 100..<220 { matte.bytes[y * w + x] = 255 } }
        let before = person
        try person.rim(matte: matte, fromRight: fromRight, strength: StudioPipeline.rimStrength)
        let row = h / 2, lit = fromRight ? 218 : 101, dark = fromRight ? 101 : 218
        let lifted = Int(person.bytes[3 * (row * w + lit)])
        #expect(lifted > Int(grey) + 20, "the edge facing the light is lifted: \(lifted)")
        #expect(Double(lifted) <= Double(grey) + (255 - Double(grey)) * StudioPipeline.rimStrength + 1, "by at most its strength: \(lifted)")
        for x in [0, 50, 160, dark, 300] {
            let i = 3 * (row * w + x)
            #expect(Array(person.bytes[i..<(i + 3)]) == Array(before.bytes[i..<(i + 3)]), "x = \(x) is left as it was")
        }
        let changed = stride(from: 0, to: w * h, by: 1).filter { person.bytes[3 * $0] != before.bytes[3 * $0] }
        #expect(changed.allSatisfy { (fromRight ? 200..<226 : 94..<120).contains($0 % w) }, "only a band along the silhouette on the light's side")
        #expect(person.bytes[0..<3].allSatisfy { $0 == grey })
    }

    /// Per pixel of the matte's soft edge (α between 0.25 and 0.75) in the top half of the frame on
    /// the key light's side (the rim light, on dark backdrops, is on the other): its luma against
    /// what a clean composite gives there, α · (the person's solid inside nearby) + (1 − α) · (the
    /// backdrop nearby). Returns the mean signed difference (positive: a light fringe) in 8-bit levels.
    static func fringe(look: String, photo: String) async throws -> (signed: Double, pixels: Int) {
        let framingKind: ShotFraming = photo.hasSuffix("img4.jpg") ? .tight : .closeUp
        let variation = StudioVariation(framing: framingKind, lightSide: 1)
        let source = StudioSource(id: 777, jpeg: try Fixture.bytes(photo))
        let headshot = try await StudioRendererTests.renderer.render(source, look: try #require(StudioLook.named(look)), variation: variation,
                                                                     references: try await StudioRendererTests.referenceCache.get())
        // The renderer's own matte for that frame: the same preparation, framing and feather.
        let session = try ImagingSession(models: try FaceModels(files: Fixture.models), segmenterPath: SegmenterTests.model)
        var times = StudioTimes()
        let prepared = try StudioPipeline.prepare(source, session: session, times: &times)
        let scale = Double(prepared.matte.width) / Double(prepared.pixels.width)
        guard let framing = Framing.choose(framingKind, landmarks: prepared.landmarks, matte: prepared.matte, matteScale: scale,
                                           sourceWidth: prepared.pixels.width, sourceHeight: prepared.pixels.height) else {
            Issue.record("\(photo) allows no \(framingKind.rawValue)")
            return (0, 0)
        }
        var matte = try framing.warp(prepared.matte, sourceScale: scale, extend: Raster.Extend.repeated)
        try matte.blur(sigma: StudioPipeline.featherSigma)
        let output = try Raster(try VipsImage.decodeNormalised(headshot.jpeg, maxSide: 4096, timeLimit: 10).materialised())
        #expect(output.width == matte.width && output.height == matte.height)
        let w = output.width, h = output.height
        var luma = [Double](repeating: 0, count: w * h)
        for i in 0..<(w * h) {
            let r = Double(output.bytes[3 * i]), g = Double(output.bytes[3 * i + 1]), b = Double(output.bytes[3 * i + 2])
            luma[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        // Local means of the solid inside (α > 0.97) and of the backdrop (α < 0.03) by integral images.
        func integral(_ weight: (Int) -> Double) -> [Double] {
            var sums = [Double](repeating: 0, count: (w + 1) * (h + 1))
            for y in 0..<h {
                var row = 0.0
                for x in 0..<w {
                    row += weight(y * w + x)
                    sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row
                }
            }
            return sums
        }
        func box(_ sums: [Double], _ x: Int, _ y: Int, _ r: Int) -> Double {
            let x0 = max(x - r, 0), y0 = max(y - r, 0), x1 = min(x + r + 1, w), y1 = min(y + r + 1, h)
            return sums[y1 * (w + 1) + x1] - sums[y0 * (w + 1) + x1] - sums[y1 * (w + 1) + x0] + sums[y0 * (w + 1) + x0]
        }
        let inside = { (i: Int) in matte.bytes[i] > 247 ? 1.0 : 0 }, outside = { (i: Int) in matte.bytes[i] < 8 ? 1.0 : 0 }
        let insideCount = integral(inside), insideSum = integral { inside($0) * luma[$0] }
        let outsideCount = integral(outside), outsideSum = integral { outside($0) * luma[$0] }
        let r = max(w / 100, 4)
        let centre = framing.map(prepared.landmarks[30]).x
        var total = 0.0, count = 0
        for y in 0..<(h / 2) {
            for x in 0..<Int(centre) {
                let i = y * w + x, alpha = Double(matte.bytes[i]) / 255
                guard alpha > 0.25, alpha < 0.75 else { continue }
                let ni = box(insideCount, x, y, r), no = box(outsideCount, x, y, r)
                guard ni > 4, no > 4 else { continue }
                let expected = alpha * box(insideSum, x, y, r) / ni + (1 - alpha) * box(outsideSum, x, y, r) / no
                total += luma[i] - expected
                count += 1
            }
        }
        return (count == 0 ? 0 : total / Double(count), count)
    }

    @Test(arguments: [("executive-navy", "faces/person-a/img1.jpg"), ("monochrome-classic", "faces/person-a/img7.jpg"),
                      ("bright-white", "faces/person-a/img1.jpg"), ("bright-white", "faces/person-a/img4.jpg")])
    func theMattesEdgeCarriesNoFringeFromTheOldBackground(_ look: String, _ photo: String) async throws {
        let measured = try await Self.fringe(look: look, photo: photo)
        print("fringe \(look) \(photo): \(measured.signed) over \(measured.pixels) px")
        #expect(measured.pixels > 500, "the edge band was found")
        #expect(abs(measured.signed) < 6, "\(look) on \(photo): the edge is \(measured.signed) levels off a clean composite")
    }
}
