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

    /// The person's matte for `photo` (8-bit RGB): one 8-bit channel, 255 where the person is, at
    /// the photo's size scaled to at most `refineSide`, its edges refined along the photo's own edges.
    func matte(of photo: Raster) throws(OpenCVError) -> Raster {
        precondition(photo.channels == 3)
        let scale = min(1, Double(Self.refineSide) / Double(max(photo.width, photo.height)))
        let width = max(Int((Double(photo.width) * scale).rounded()), 1), height = max(Int((Double(photo.height) * scale).rounded()), 1)
        var matte = Raster(width: width, height: height, channels: 1)
        try matte.write("segmentation") { pixels, w, h, _, error, length in
            hs_segmenter_matte(pointer, photo.bytes, Int32(photo.width), Int32(photo.height), pixels, w, h, error, length)
        }
        return matte
    }
}
