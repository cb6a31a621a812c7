import CDlibShim

/// The shared, read-only part of dlib's models (shape predictors, and the networks sessions copy).
/// Loading takes about a second and ~300 MB, so a process loads them once.
final class FaceModels: @unchecked Sendable {
    // @unchecked: after loading, the models are only read (shape predictors are const in dlib; the
    // networks are copied into each session before use).
    let pointer: OpaquePointer

    init(files: FaceModelFiles) throws(FaceEngineError) {
        let missing = files.missing()
        guard missing.isEmpty else { throw .modelsMissing(directory: files.directory, files: missing) }
        var error = [CChar](repeating: 0, count: 512)
        let names = FaceModelFiles.names
        guard let pointer = hs_face_models_load(
            files.path(names[0]), files.path(names[1]), files.path(names[2]), files.path(names[3]), &error, error.count
        ) else {
            throw .modelsUnreadable(directory: files.directory, reason: String(errorBuffer: error))
        }
        self.pointer = pointer
    }

    deinit { hs_face_models_free(pointer) }
}

public enum FaceEngineError: Error, CustomStringConvertible, Sendable, Equatable {
    case modelsMissing(directory: String, files: [String])
    case modelsUnreadable(directory: String, reason: String)
    case dlib(operation: String, message: String)

    public var description: String {
        switch self {
        case .modelsMissing(let directory, let files):
            "face models missing in \(directory): \(files.joined(separator: ", ")); run `bash scripts/models.sh` (or set MODELS_DIR to where they are)"
        case .modelsUnreadable(let directory, let reason):
            "face models in \(directory) could not be read (\(reason)); re-run `bash scripts/models.sh` to reinstall them"
        case .dlib(let operation, let message):
            "dlib \(operation) failed: \(message)"
        }
    }
}
