/// The real format of an upload, read from its first bytes. File names and Content-Type headers are
/// never consulted: they are whatever the client says.
public enum ImageFormat: String, Codable, Sendable, CaseIterable {
    case jpeg, png, heic, webp
    // Recognised so the refusal can name what was sent; never decoded.
    case gif, tiff, svg, pdf, bmp, avif, video, zip

    public static let accepted: [ImageFormat] = [.jpeg, .png, .heic, .webp]

    public var isAccepted: Bool { Self.accepted.contains(self) }

    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .heic: "HEIC"
        case .webp: "WebP"
        case .gif: "GIF"
        case .tiff: "TIFF or camera RAW"
        case .svg: "SVG"
        case .pdf: "PDF"
        case .bmp: "BMP"
        case .avif: "AVIF"
        case .video: "video"
        case .zip: "ZIP archive"
        }
    }

    /// The libvips loader that must agree with the sniffed format before any pixel is decoded.
    var vipsLoader: String? {
        switch self {
        case .jpeg: "VipsForeignLoadJpegBuffer"
        case .png: "VipsForeignLoadPngBuffer"
        case .heic: "VipsForeignLoadHeifBuffer"
        case .webp: "VipsForeignLoadWebpBuffer"
        default: nil
        }
    }

    /// Sniffs the container from magic bytes; nil when it is nothing we recognise.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return .webp }
        if ascii("RIFF"), ascii("AVI ", at: 8) { return .video }
        if ascii("GIF87a") || ascii("GIF89a") { return .gif }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) || starts([0x49, 0x49, 0x2B, 0x00]) { return .tiff }
        if ascii("%PDF-") { return .pdf }
        if ascii("BM") && bytes.count > 26 { return .bmp }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return .video }  // Matroska / WebM
        if ascii("ftyp", at: 4) { return isoMediaFormat(bytes) }
        if looksLikeSVG(bytes) { return .svg }
        return nil
    }

    /// ISO base media files (HEIF, AVIF, MP4, MOV) are told apart by the brands of their `ftyp` box.
    private static func isoMediaFormat(_ bytes: [UInt8]) -> ImageFormat {
        let size = bytes.count >= 4 ? Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]) : 0
        let end = min(max(size, 16), bytes.count, 256)
        var brands: [String] = []
        var offset = 8
        while offset + 4 <= end {
            if offset != 12 { brands.append(String(decoding: bytes[offset..<offset + 4], as: UTF8.self)) }  // 12…15 is the minor version
            offset += 4
        }
        let major = brands.first ?? ""
        // Image sequences (msf1, hevc, heis…) are treated as video: one still frame is needed.
        if ["heic", "heix", "heim", "heis"].contains(major) { return major == "heis" ? .video : .heic }
        if major == "avif" || major == "avis" { return .avif }
        if major == "mif1" { return brands.contains("avif") && !brands.contains("heic") ? .avif : .heic }
        return .video
    }

    private static func looksLikeSVG(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        return (trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<svg") || trimmed.hasPrefix("<!doctype svg")) && head.contains("<svg")
    }
}
