/// Wall time of each stage of checking one photo, for `make bench`.
public struct StageTimes: Sendable {
    /// Sniff, header checks, decode, orientation, sRGB and the normalised JPEG.
    public var decode: Duration = .zero
    /// Downscaled copy and face detection.
    public var detect: Duration = .zero
    /// 68- and 5-point landmarks.
    public var landmarks: Duration = .zero
    /// The 128-d ResNet descriptor.
    public var descriptor: Duration = .zero
    /// Sharpness, light, hash and background measurements.
    public var measure: Duration = .zero
    public var total: Duration = .zero
    /// Size of the upload as declared by its header.
    public var megapixels = 0.0

    public init() {}
}
