/// Why an upload was refused before any face check ran. Each case has a stable code for the API and
/// a message and tip a person can act on; libvips' own text is kept for logs only.
public enum PhotoError: Error, Sendable, Equatable {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case unsupportedFormat(ImageFormat?)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case multipleFrames(count: Int)
    case tooSmall(width: Int, height: Int, minimum: Int)
    case unreadable(detail: String)
    case timedOut

    public var code: String {
        switch self {
        case .empty: "empty_file"
        case .tooLarge: "file_too_large"
        case .unsupportedFormat: "unsupported_format"
        case .tooManyPixels: "too_many_pixels"
        case .multipleFrames: "animated_or_multi_page"
        case .tooSmall: "low_resolution"
        case .unreadable: "unreadable_image"
        case .timedOut: "unreadable_image"
        }
    }

    private static var acceptedList: String { ImageFormat.accepted.map(\.displayName).joined(separator: ", ") }

    public var message: String {
        switch self {
        case .empty:
            "The file is empty."
        case .tooLarge(let bytes, let limit):
            "The file is \(megabytes(bytes)); photos can be at most \(megabytes(limit))."
        case .unsupportedFormat(let format?):
            "This is a \(format.displayName) file, not a photo we can use. We accept \(Self.acceptedList)."
        case .unsupportedFormat(nil):
            "This file is not a photo we recognise. We accept \(Self.acceptedList)."
        case .tooManyPixels(let width, let height, let limit):
            "The image is \(width)×\(height) pixels; at most \(limit / 1_000_000) megapixels are accepted."
        case .multipleFrames(let count):
            "The file holds \(count) frames or pages; a single still photo is needed."
        case .tooSmall(let width, let height, let minimum):
            "The photo is only \(width)×\(height) pixels; its shorter side needs at least \(minimum) pixels."
        case .unreadable:
            "The image data is damaged or incomplete, so it cannot be read."
        case .timedOut:
            "The image took too long to read; it may be damaged or built to be slow to open."
        }
    }

    public var tip: String {
        switch self {
        case .empty, .unreadable, .timedOut:
            "Upload the photo again straight from your camera roll; if it still fails, take a new one."
        case .tooLarge, .tooManyPixels:
            "Export the photo at a normal size (for example 12 megapixels, as a JPEG) and upload that."
        case .unsupportedFormat:
            "Choose the original photo from your phone or camera (JPEG or HEIC), not a screenshot of a document or an animation."
        case .multipleFrames:
            "Upload a single still photo rather than a Live Photo export, animation or multi-page file."
        case .tooSmall:
            "Use the original photo rather than a thumbnail or a photo saved from a chat or social network."
        }
    }
}

private func megabytes(_ bytes: Int) -> String {
    let value = Double(bytes) / 1_000_000
    return value >= 10 ? "\(Int(value.rounded())) MB" : "\((value * 10).rounded() / 10) MB"
}
