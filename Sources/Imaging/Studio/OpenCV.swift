import Foundation

/// A failure reported by the OpenCV shim (the segmentation network, a filter or a blend), or a
/// result of the wrong shape: `operation` says which step, `message` is OpenCV's or ours.
struct OpenCVError: Error, CustomStringConvertible, Sendable {
    let operation: String
    let message: String
    var description: String { "OpenCV \(operation) failed: \(message)" }
}

/// Calls into the OpenCV shim, whose functions return non-zero and fill an error buffer on failure.
enum OpenCV {
    static func call(_ operation: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(OpenCVError) {
        var error = [CChar](repeating: 0, count: 512)
        let status = error.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        guard status == 0 else { throw OpenCVError(operation: operation, message: String(errorBuffer: error)) }
    }
}
