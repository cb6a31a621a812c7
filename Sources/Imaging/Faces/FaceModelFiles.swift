import Foundation

/// The model files the engine needs: dlib's, from the PyPI package face_recognition_models 0.3.0,
/// and the person-segmentation network converted from MediaPipe's (both installed and
/// SHA-256-checked by scripts/models.sh).
public struct FaceModelFiles: Sendable, Equatable {
    /// dlib's four come first, in the order the dlib shim takes them.
    public static let names = [
        "shape_predictor_5_face_landmarks.dat",
        "shape_predictor_68_face_landmarks.dat",
        "dlib_face_recognition_resnet_model_v1.dat",
        "mmod_human_face_detector.dat",
        Segmenter.modelName,
    ]

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Files that are absent or empty; an empty list means the engine can start.
    public func missing() -> [String] {
        Self.names.filter { name in
            let size = (try? FileManager.default.attributesOfItem(atPath: path(name))[.size] as? NSNumber)?.intValue ?? 0
            return size == 0
        }
    }
}
