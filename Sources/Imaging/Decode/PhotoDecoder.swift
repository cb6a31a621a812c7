/// An upload decoded and normalised: upright, 8-bit sRGB, at most `PhotoLimits.maxStoredSide`, and
/// re-encoded as a JPEG with no metadata. Only `jpeg` is ever stored.
struct DecodedPhoto {
    let format: ImageFormat
    /// Size as the file declares it (before orientation and any downsizing).
    let originalWidth: Int
    let originalHeight: Int
    let image: VipsImage
    let jpeg: [UInt8]

    var width: Int { image.width }
    var height: Int { image.height }
}

/// Turns untrusted bytes into a `DecodedPhoto`, refusing anything outside `PhotoLimits` with a
/// specific `PhotoError` before any pixel is decoded.
enum PhotoDecoder {
    static func decode(_ bytes: [UInt8], limits: PhotoLimits) throws(PhotoError) -> DecodedPhoto {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxBytes else { throw .tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        guard let format = ImageFormat.sniff(bytes) else { throw .unsupportedFormat(nil) }
        guard format.isAccepted else { throw .unsupportedFormat(format) }
        if format == .png, ImageFormat.isAnimatedPNG(bytes) { throw .multipleFrames(count: 2) }
        // libvips must read the bytes as the same format we sniffed; anything else (a polyglot, a
        // mislabelled container) is refused rather than handed to a different decoder.
        guard VipsImage.loaderName(for: bytes) == format.vipsLoader else { throw .unreadable(detail: "loader mismatch") }

        let header: VipsImage
        do { header = try VipsImage.header(of: bytes) } catch { throw .unreadable(detail: error.message) }
        let width = header.width, height = header.height
        guard width * height <= limits.maxPixels else { throw .tooManyPixels(width: width, height: height, limit: limits.maxPixels) }
        guard header.pages <= 1 else { throw .multipleFrames(count: header.pages) }
        guard min(width, height) >= limits.minShortSide else {
            throw .tooSmall(width: width, height: height, minimum: limits.minShortSide)
        }

        do {
            let image = try VipsImage.decodeNormalised(bytes, maxSide: limits.maxStoredSide, timeLimit: limits.decodeSeconds)
            let jpeg = try image.jpeg(quality: limits.jpegQuality)
            return DecodedPhoto(format: format, originalWidth: width, originalHeight: height, image: image, jpeg: jpeg)
        } catch {
            throw error.message.contains("killed") ? .timedOut : .unreadable(detail: error.message)
        }
    }
}

extension ImageFormat {
    /// APNG marks animation with an `acTL` chunk before the first `IDAT`; libvips would silently
    /// decode only the first frame, so it is refused like any other animation.
    static func isAnimatedPNG(_ bytes: [UInt8]) -> Bool {
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "acTL" { return true }
            if type == "IDAT" || length < 0 { return false }
            offset += 12 + length
        }
        return false
    }
}
