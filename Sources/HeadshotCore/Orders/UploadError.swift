import Foundation
import Imaging

/// Why an upload or a step of the photo flow was refused, in words for the person and a stable code
/// for the API.
package enum UploadError: DomainError {
    /// The quality gate refused the file before any face check (format, size, damage).
    case photo(PhotoError)
    /// The body passed the size limit while it was streaming in.
    case tooLarge(limit: Int)
    case noFile
    /// A multipart form that cannot be read (a broken boundary or part).
    case malformedForm
    case tooManyFiles(limit: Int)
    case setFull(limit: Int)
    /// Good and refused photos together: refused ones are kept (with thumbnails) to show what is wrong.
    case tooManyStored(limit: Int)
    case orderLocked
    case setNotReady(summary: String)
    /// The person already has this many uploads streaming in (or their bytes), on this server.
    case busy(concurrent: Int)

    package var kind: FailureKind {
        switch self {
        case .photo(.tooLarge), .tooLarge: .tooLarge
        case .photo: .invalid
        case .noFile, .malformedForm, .tooManyFiles: .badRequest
        case .setFull, .tooManyStored, .orderLocked, .setNotReady: .conflict
        case .busy: .tooManyRequests(retryAfter: 5)
        }
    }

    package var code: String {
        switch self {
        case .photo(let error): error.code
        case .tooLarge: "file_too_large"
        case .noFile: "no_file"
        case .malformedForm: "malformed_form"
        case .tooManyFiles: "too_many_files"
        case .setFull: "set_full"
        case .tooManyStored: "too_many_photos"
        case .orderLocked: "order_locked"
        case .setNotReady: "set_not_ready"
        case .busy: "uploads_in_progress"
        }
    }

    package var reason: String {
        switch self {
        case .photo(let error): "\(error.message) \(error.tip)"
        case .tooLarge(let limit): "The file is larger than \(limit / 1_000_000) MB. Export the photo at a normal size (for example as a 12-megapixel JPEG) and upload that."
        case .noFile: "No photo was sent. Choose one or more photos and try again."
        case .malformedForm: "The upload form could not be read (its multipart body is broken). Choose your photos and send them again."
        case .tooManyFiles(let limit): "Send at most \(limit) photos at once."
        case .setFull(let limit): "You already have \(limit) good photos, the most we use. Remove one before adding another."
        case .tooManyStored(let limit): "This order already holds \(limit) photos, counting the ones we can't use. Remove the photos we can't use before adding more."
        case .orderLocked: "This order's photos can no longer change: it has already been paid for."
        case .setNotReady(let summary): "Your photos aren't ready yet: \(summary)"
        case .busy(let concurrent): "You already have \(concurrent) uploads on their way. Wait for them to finish, then send the next photos."
        }
    }
}
