import COpenCVShim
import Foundation

/// The person-segmentation network — MediaPipe's selfie segmentation, converted to ONNX by
/// scripts/segmentation — run by OpenCV's dnn module. Owns the loaded network and frees it in
/// `deinit`. One per thread: a network must not run two inputs at once.
final class Segmenter {
    static let modelName = "selfie_segmentation.onnx"
    /// Masks are refined (guided filter) at this long side at most; finer detail is feathered anyway.
    static let refineSide = 1024

    private let pointer: OpaquePointer

    init(modelPath: String) throws(OpenCVError) {
        var opened: OpaquePointer?
        try OpenCV.call("load \(Self.modelName)") { error, length in
            opened = hs_segmenter_open(modelPath, error, length)
            return opened == nil ? 1 : 0
        }
        self.pointer = opened!
    }

    deinit { hs_segmenter_close(pointer) }

    /// The person's matte for `image` (8-bit sRGB): one 8-bit band, 255 where the person is, at the
    /// image's size scaled to at most `refineSide`, its edges refined along the photo's own edges.
    func matte(of image: VipsImage) throws -> VipsImage {
        let scale = min(1, Double(Self.refineSide) / Double(max(image.width, image.height)))
        let work = scale < 1 ? try image.resized(by: scale).materialised() : image
        let side = Int(hs_segmenter_side())
        let input = try work.resized(horizontal: Double(side) / Double(work.width), vertical: Double(side) / Double(work.height))
        let rgb = try input.pixels()
        guard rgb.count == side * side * 3 else { throw OpenCVError(operation: "segmentation", message: "expected \(side)×\(side) RGB, got \(rgb.count) bytes") }

        var probabilities = [Float](repeating: 0, count: side * side)
        try OpenCV.call("segmentation") { hs_segmenter_run(pointer, rgb, &probabilities, $0, $1) }
        let coarse = try VipsImage.fromPixels(probabilities.map { UInt8(clamping: Int(($0 * 255).rounded())) }, width: side, height: side, bands: 1)
            .resized(horizontal: Double(work.width) / Double(side), vertical: Double(work.height) / Double(side))
            .materialised()
        guard coarse.width == work.width, coarse.height == work.height else {
            throw OpenCVError(operation: "segmentation", message: "upsampled mask is \(coarse.width)×\(coarse.height), not \(work.width)×\(work.height)")
        }

        // The guided filter pulls the coarse mask onto the photo's real edges (hair, shoulders).
        // A grey guide: edges of hair and shoulders against the background are edges in lightness
        // too, and the one-channel filter is several times cheaper than the colour one.
        let guide = try work.greyscale().pixels(), mask = try coarse.pixels()
        var refined = [UInt8](repeating: 0, count: work.width * work.height)
        let radius = max(4, max(work.width, work.height) / 128)
        try OpenCV.call("guided filter") {
            hs_guided_filter(guide, 1, mask, Int32(work.width), Int32(work.height), Int32(radius), 1e-3, &refined, $0, $1)
        }
        return try VipsImage.fromPixels(refined, width: work.width, height: work.height, bands: 1)
    }
}
