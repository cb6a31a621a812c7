/// Resized JPEG copies of an already normalised photo (thumbnails for pages, sized variants for
/// the benchmark), made by libvips with metadata stripped like the original.
public enum ImageResizer {
    /// Scales `jpeg` so its long side is `longSide` pixels (down only, unless `enlarge`).
    public static func jpeg(_ jpeg: [UInt8], longSide: Int, quality: Int = 85, enlarge: Bool = true) throws -> [UInt8] {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 100_000, timeLimit: 30)
        let scale = Double(longSide) / Double(max(image.width, image.height))
        return try (scale >= 1 && !enlarge ? image : image.resized(by: scale)).jpeg(quality: quality)
    }

    /// Scales `jpeg` to about `megapixels` million pixels, keeping its aspect ratio.
    public static func jpeg(_ jpeg: [UInt8], megapixels: Double, quality: Int = 92) throws -> [UInt8] {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 100_000, timeLimit: 30)
        let scale = (megapixels * 1_000_000 / Double(image.width * image.height)).squareRoot()
        return try image.resized(by: scale).jpeg(quality: quality)
    }

    /// A flat grey JPEG: the probe generator's output, which exercises the queue without rendering.
    public static func flatJPEG(width: Int, height: Int, grey: UInt8) throws -> [UInt8] {
        try VipsImage.fromPixels([UInt8](repeating: grey, count: width * height * 3), width: width, height: height, bands: 3).jpeg(quality: 90)
    }
}
