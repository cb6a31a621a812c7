/// A point in the normalised photo's pixel coordinates (origin top left).
public struct ImagePoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    func distance(to other: ImagePoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }

    static func mean(_ points: some Collection<ImagePoint>) -> ImagePoint {
        let count = Double(max(points.count, 1))
        return ImagePoint(x: points.reduce(0) { $0 + $1.x } / count, y: points.reduce(0) { $0 + $1.y } / count)
    }
}

/// A rectangle in the normalised photo's pixel coordinates; may reach outside the photo when a face
/// is cut off by its edge.
public struct ImageRect: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var area: Double { width * height }

    func scaled(by factor: Double) -> ImageRect {
        ImageRect(x: x * factor, y: y * factor, width: width * factor, height: height * factor)
    }

    static func enclosing(_ points: some Collection<ImagePoint>) -> ImageRect {
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = xs.min() ?? 0, minY = ys.min() ?? 0
        return ImageRect(x: minX, y: minY, width: (xs.max() ?? 0) - minX, height: (ys.max() ?? 0) - minY)
    }

    func pixelRect() -> PixelRect {
        PixelRect(x: Int(x.rounded(.down)), y: Int(y.rounded(.down)), width: Int(width.rounded(.up)), height: Int(height.rounded(.up)))
    }
}

/// Whole-pixel rectangle for crops.
struct PixelRect: Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    /// The part inside a `width`×`height` image, at least 1×1.
    func clamped(width imageWidth: Int, height imageHeight: Int) -> PixelRect {
        let left = min(max(x, 0), imageWidth - 1), top = min(max(y, 0), imageHeight - 1)
        let right = max(min(x + width, imageWidth), left + 1), bottom = max(min(y + height, imageHeight), top + 1)
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}
