import Foundation
import Testing
@testable import Imaging

/// The converted segmentation network, run by OpenCV on real photos: the person is inside the mask
/// and the background outside, at the photo's own proportions.
@Suite struct SegmenterTests {
    static let model = Fixture.models.directory + "/" + Segmenter.modelName

    /// Mean mask value (0…1) over a rectangle given in fractions of the mask.
    static func mean(_ mask: VipsImage, x: Double, y: Double, width: Double, height: Double) throws -> Double {
        let rect = PixelRect(x: Int(x * Double(mask.width)), y: Int(y * Double(mask.height)),
                             width: Int(width * Double(mask.width)), height: Int(height * Double(mask.height)))
        return try mask.cropped(to: rect).mean() / 255
    }

    @Test(arguments: ["faces/person-a/img1.jpg", "faces/person-a/img2.jpg", "faces/person-a/img4.jpg", "faces/person-a/img5.jpg", "faces/person-a/img6.jpg", "faces/person-a/img7.jpg", "faces/person-a/img10.jpg", "faces/person-a/img11.jpg", "faces/singles/obama.jpg"])
    func thePersonIsInsideTheMatteAndTheBackdropOutside(_ fixture: String) async throws {
        let segmenter = try Segmenter(modelPath: Self.model)
        let image = try Derived.image(fixture)
        let report = try #require(try await inspector.inspect(try Fixture.bytes(fixture)).report.faceBox)
        let matte = try segmenter.matte(of: try Raster(image)).vips()
        #expect(matte.bands == 1 && max(matte.width, matte.height) <= Segmenter.refineSide)
        #expect(abs(Double(matte.width) / Double(matte.height) - Double(image.width) / Double(image.height)) < 0.01)
        // The middle of the face (the central 60 % of dlib's box, which can reach past the cheeks)
        // is person; the top corners are not.
        let face = try Self.mean(matte, x: (report.x + 0.2 * report.width) / Double(image.width),
                                 y: (report.y + 0.2 * report.height) / Double(image.height),
                                 width: 0.6 * report.width / Double(image.width), height: 0.6 * report.height / Double(image.height))
        #expect(face > 0.97, "face mean \(face)")
        let corners = try [Self.mean(matte, x: 0, y: 0, width: 0.08, height: 0.08), Self.mean(matte, x: 0.92, y: 0, width: 0.08, height: 0.08)]
        #expect(corners.allSatisfy { $0 < 0.05 }, "top corners \(corners)")
    }

    /// What a cut-out looks like, from the renderer's own preparation of a photo (matte and
    /// landmarks): the share of the face (inside the jaw line and brows) the matte leaves less than
    /// solid, the share of the person outside its largest piece, the holes enclosed in it, and the
    /// mean width (in matte pixels) of the soft band along its outline.
    struct CutOut {
        let faceNotSolid: Double, outsideLargestPiece: Double, holes: Double, softBandWidth: Double

        init(photo: String) throws {
            let session = try ImagingSession(models: try FaceModels(files: Fixture.models), segmenterPath: SegmenterTests.model)
            var times = StudioTimes()
            let prepared = try StudioPipeline.prepare(StudioSource(id: 1, jpeg: try Fixture.bytes(photo)), session: session, times: &times)
            let matte = prepared.matte, w = matte.width, h = matte.height
            let scale = Double(w) / Double(prepared.pixels.width)
            // The outline drawn 5 % in towards its middle: dlib's jaw points lie on the face's very edge.
            let points = (Array(0...16) + Array((17...26).reversed())).map { prepared.landmarks[$0] }
            let middle = ImagePoint(x: points.map(\.x).reduce(0, +) / Double(points.count), y: points.map(\.y).reduce(0, +) / Double(points.count))
            let outline = points.map { ImagePoint(x: (middle.x + 0.95 * ($0.x - middle.x)) * scale, y: (middle.y + 0.95 * ($0.y - middle.y)) * scale) }
            func insideFace(_ x: Double, _ y: Double) -> Bool {
                var inside = false
                var j = outline.count - 1
                for i in outline.indices {
                    let a = outline[i], b = outline[j]
                    if (a.y > y) != (b.y > y), x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                    j = i
                }
                return inside
            }
            var face = 0, faceSoft = 0
            for y in 0..<h { for x in 0..<w where insideFace(Double(x) + 0.5, Double(y) + 0.5) {
                face += 1
                if matte.bytes[y * w + x] < 230 { faceSoft += 1 }
            } }
            faceNotSolid = Double(faceSoft) / Double(max(face, 1))
            // Pieces of the person (α > ½) and of the background, 4-connected, by flood fill.
            func pieces(_ member: (Int) -> Bool) -> [(size: Int, touchesBorder: Bool)] {
                var label = [Bool](repeating: false, count: w * h), found: [(Int, Bool)] = []
                for start in 0..<(w * h) where member(start) && !label[start] {
                    var stack = [start], size = 0, border = false
                    label[start] = true
                    while let i = stack.popLast() {
                        size += 1
                        let x = i % w, y = i / w
                        if x == 0 || y == 0 || x == w - 1 || y == h - 1 { border = true }
                        for n in [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]
                        where n >= 0 && !label[n] && member(n) {
                            label[n] = true
                            stack.append(n)
                        }
                    }
                    found.append((size, border))
                }
                return found
            }
            let person = pieces { matte.bytes[$0] > 127 }
            let area = person.map(\.size).reduce(0, +)
            outsideLargestPiece = Double(area - (person.map(\.size).max() ?? 0)) / Double(max(area, 1))
            holes = Double(pieces { matte.bytes[$0] <= 127 }.filter { !$0.touchesBorder }.map(\.size).reduce(0, +)) / Double(max(area, 1))
            // The outline's length: person pixels with a background neighbour (not the photo's edge).
            var boundary = 0, soft = 0
            for y in 1..<(h - 1) { for x in 1..<(w - 1) {
                let i = y * w + x, value = matte.bytes[i]
                if value > 25 && value < 230 { soft += 1 }
                if value > 127, [i - 1, i + 1, i - w, i + w].contains(where: { matte.bytes[$0] <= 127 }) { boundary += 1 }
            } }
            softBandWidth = Double(soft) / Double(max(boundary, 1))
        }
    }

    /// The cut-out of every person-a photo: the face whole (a cheek bitten by a backdrop of skin's
    /// colour), the person in one piece with no holes (hair broken into strands with wall between
    /// them), and a thin edge (a grey, half-transparent haze of old background round the hair).
    @Test(arguments: ["img1", "img2", "img4", "img5", "img6", "img7", "img10", "img11"])
    func theCutOutKeepsTheFaceWholeAndThePersonInOnePieceWithAThinEdge(_ name: String) throws {
        let cut = try CutOut(photo: "faces/person-a/\(name).jpg")
        print("cut-out \(name): face not solid \(cut.faceNotSolid), outside largest \(cut.outsideLargestPiece), holes \(cut.holes), soft band \(cut.softBandWidth) px")
        #expect(cut.faceNotSolid < 0.002, "\(name): \(cut.faceNotSolid * 100) % of the face is not solid")
        #expect(cut.outsideLargestPiece < 0.0005, "\(name): \(cut.outsideLargestPiece * 100) % of the person is in other pieces")
        #expect(cut.holes < 0.0005, "\(name): holes make \(cut.holes * 100) % of the person")
        #expect(cut.softBandWidth < 8, "\(name): the soft edge is \(cut.softBandWidth) px wide on average")
    }

    @Test func aMissingModelIsATypedErrorNotACrash() {
        #expect(throws: OpenCVError.self) { try Segmenter(modelPath: "/nonexistent/selfie_segmentation.onnx") }
    }
}
