/// Bounds on what an upload may be, all checked before pixels are decoded (except the time limit,
/// which bounds the decode itself).
public struct PhotoLimits: Sendable, Equatable {
    /// Largest file accepted: phone photos are 1–8 MB; HEIC/JPEG from a 50 MP sensor stays under 25 MB.
    public var maxBytes = 25_000_000
    /// Largest image accepted, from the header: bounds decode memory (50 MP × 3 bytes ≈ 150 MB).
    public var maxPixels = 50_000_000
    /// Shorter side below which a photo is refused as too small. See `Thresholds.minimumShortSide`.
    public var minShortSide = Thresholds.minimumShortSide
    /// Long side of the stored, normalised copy. The renderer's largest output is 1600×2000, so more
    /// detail than this is never used, and it keeps a decoded photo under 50 MB in memory.
    public var maxStoredSide = 4096
    /// Wall-clock bound on decoding one photo; a file that takes longer is refused.
    public var decodeSeconds = 10.0
    /// Quality of the normalised JPEG (≥ 90 keeps it visually lossless for the renderer).
    public var jpegQuality = 92

    public init() {}
}
