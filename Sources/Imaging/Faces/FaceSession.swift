import CDlibShim

/// A face found by a detector, in the pixel coordinates of the image it was run on.
struct DetectedFace {
    var box: ImageRect
    var confidence: Double
}

/// One thread's own detectors and descriptor network. dlib's detectors and networks keep scratch
/// state, so a session is used by one thread at a time (the inspector's pool hands them out).
final class FaceSession: @unchecked Sendable {
    // @unchecked: ownership passes between pool threads, never shared concurrently.
    private let pointer: OpaquePointer
    let models: FaceModels

    init(models: FaceModels) throws(FaceEngineError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let pointer = hs_face_session_new(models.pointer, &error, error.count) else {
            throw .dlib(operation: "session", message: String(errorBuffer: error))
        }
        self.pointer = pointer
        self.models = models
    }

    deinit { hs_face_session_free(pointer) }

    /// HOG frontal-face detection without upsampling: faces smaller than ~80 px are not found, which
    /// is far below the smallest face a usable selfie has.
    func detectFrontal(in image: FaceImage, adjustThreshold: Double = 0) throws(FaceEngineError) -> [DetectedFace] {
        try detect("HOG detection") { boxes, capacity, error, length in
            hs_face_detect_hog(pointer, image.pointer, 0, adjustThreshold, boxes, capacity, error, length)
        }
    }

    /// The CNN detector: finds faces HOG misses (turned away, partly outside the frame), at more cost.
    func detectAny(in image: FaceImage) throws(FaceEngineError) -> [DetectedFace] {
        try detect("CNN detection") { boxes, capacity, error, length in
            hs_face_detect_cnn(pointer, image.pointer, 0, boxes, capacity, error, length)
        }
    }

    private func detect(
        _ operation: String,
        _ call: (UnsafeMutablePointer<hs_face_box>, Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws(FaceEngineError) -> [DetectedFace] {
        var boxes = [hs_face_box](repeating: hs_face_box(), count: 32)
        var error = [CChar](repeating: 0, count: 512)
        let found = Int(call(&boxes, Int32(boxes.count), &error, error.count))
        guard found >= 0 else { throw .dlib(operation: operation, message: String(errorBuffer: error)) }
        return boxes.prefix(min(found, boxes.count)).map { box in
            DetectedFace(
                box: ImageRect(x: Double(box.left), y: Double(box.top),
                               width: Double(box.right - box.left + 1), height: Double(box.bottom - box.top + 1)),
                confidence: box.confidence
            )
        }
    }

    /// 5 or 68 landmarks of the face in `box` (iBUG 300-W numbering for 68).
    func landmarks(in image: FaceImage, box: ImageRect, count: Int) throws(FaceEngineError) -> [ImagePoint] {
        var points = [hs_face_point](repeating: hs_face_point(), count: count)
        var error = [CChar](repeating: 0, count: 512)
        guard hs_face_landmarks(models.pointer, image.pointer, box.dlibBox, Int32(count), &points, &error, error.count) == 0 else {
            throw .dlib(operation: "landmarks", message: String(errorBuffer: error))
        }
        return points.map { ImagePoint(x: Double($0.x), y: Double($0.y)) }
    }

    /// dlib's 128-d ResNet face descriptor; faces of one person are within ~0.6 euclidean distance.
    func descriptor(in image: FaceImage, box: ImageRect, landmarks5: [ImagePoint]) throws(FaceEngineError) -> [Float] {
        precondition(landmarks5.count == 5, "the descriptor aligns the face on its 5 landmarks")
        let points = landmarks5.map { hs_face_point(x: Float($0.x), y: Float($0.y)) }
        var descriptor = [Float](repeating: 0, count: 128)
        var error = [CChar](repeating: 0, count: 512)
        guard hs_face_descriptor(pointer, image.pointer, box.dlibBox, points, &descriptor, &error, error.count) == 0 else {
            throw .dlib(operation: "descriptor", message: String(errorBuffer: error))
        }
        return descriptor
    }
}

extension ImageRect {
    fileprivate var dlibBox: hs_face_box {
        hs_face_box(left: Int(x.rounded()), top: Int(y.rounded()),
                    right: Int((x + width).rounded()) - 1, bottom: Int((y + height).rounded()) - 1, confidence: 0)
    }
}
