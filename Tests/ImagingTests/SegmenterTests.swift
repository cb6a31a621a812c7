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

    @Test func aMissingModelIsATypedErrorNotACrash() {
        #expect(throws: OpenCVError.self) { try Segmenter(modelPath: "/nonexistent/selfie_segmentation.onnx") }
    }
}
