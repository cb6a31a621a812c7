import COpenCVShim
import Foundation

/// How alike two headshots look to a person, on small grey thumbnails (structural similarity,
/// OpenCV's quality module): two crops of one photo up to 6 % apart score above 0.85 (a crisp
/// cut-out changes more under a zoom than a soft one: 0.88 at 6 %); a different framing or photo
/// scores well below (0.6 at most in a Professional order). The generator keeps two headshots of
/// one style only when they score below `threshold`.
public struct Likeness: Sendable, Hashable {
    public static let width = 32
    public static let height = 40
    /// Headshots of one style at least this similar are twins: one is discarded.
    public static let threshold = 0.85

    /// The grey thumbnail, `width` × `height` bytes.
    public let thumbnail: [UInt8]

    public init(thumbnail: [UInt8]) {
        precondition(thumbnail.count == Self.width * Self.height)
        self.thumbnail = thumbnail
    }

    /// The thumbnail of a decoded JPEG (for headshots delivered by an earlier attempt).
    public init(jpeg: [UInt8]) throws {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 400, timeLimit: 10).materialised()
        self.init(thumbnail: try Raster(image).greyThumbnail(width: Self.width, height: Self.height))
    }

    /// Mean SSIM, 1 for identical thumbnails.
    public func similarity(to other: Likeness) -> Double {
        var value = 0.0
        do {
            try OpenCV.call("ssim") { error, length in
                hs_ssim(thumbnail, other.thumbnail, Int32(Self.width), Int32(Self.height), &value, error, length)
            }
        } catch {
            return 1
        }
        return value
    }

    public func isTwin(of other: Likeness) -> Bool { similarity(to: other) >= Self.threshold }
}
