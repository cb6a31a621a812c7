import CDlibShim

/// An RGB image in dlib's own layout, made once per photo and shared by detection, landmarks and
/// the descriptor.
final class FaceImage {
    let pointer: OpaquePointer
    let width: Int
    let height: Int

    init(rgb: [UInt8], width: Int, height: Int) throws(FaceEngineError) {
        precondition(rgb.count == width * height * 3, "packed 8-bit RGB expected")
        guard let pointer = rgb.withUnsafeBufferPointer({ hs_face_image_new($0.baseAddress, Int32(width), Int32(height), width * 3) }) else {
            throw .dlib(operation: "image", message: "out of memory")
        }
        self.pointer = pointer
        self.width = width
        self.height = height
    }

    deinit { hs_face_image_free(pointer) }
}
