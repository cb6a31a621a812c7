import Foundation

/// A file that arrived in a request, already on disk in the upload spool (`UploadSpool`).
package struct IncomingFile: Sendable {
    package let path: String
    package let filename: String
    package let size: Int

    /// The most photos one request may carry.
    package static let maxPerRequest = 20

    package init(path: String, filename: String, size: Int) {
        self.path = path
        self.filename = filename
        self.size = size
    }
}
