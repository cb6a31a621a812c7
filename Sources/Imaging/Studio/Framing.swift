import Foundation

/// Where the headshot's frame sits in the source photo: the eye line levelled, the eyes 40 % from
/// the top, the head about half the frame's height (varied), shoulders in, 4:5, at the largest size
/// the source supports without enlarging it more than 1.5×.
struct Framing: Equatable {
    static let maxWidth = 1600
    static let maxHeight = 2000
    static let maxEnlargement = 1.5
    /// Eyes sit this far down the frame.
    static let eyeLine = 0.40
    /// Eye line to chin is about this share of the whole head's height (crown to chin).
    static let eyesToChinShare = 0.46

    /// Output = [a b; c d]·source + (dx, dy).
    let a: Double, b: Double, c: Double, d: Double, dx: Double, dy: Double
    let width: Int
    let height: Int
    /// Output pixels per source pixel.
    let scale: Double

    /// The loosest framing from `headShare` up to `maxHeadShare` whose bottom edge stays inside the
    /// source: where a photo ends at the chest, a tighter crop beats a body that fades out early.
    /// (Above the head the frame may reach past the photo: there the matte is background, and
    /// the backdrop simply goes on.)
    static let maxHeadShare = 0.62

    static func fitting(landmarks: [ImagePoint], headShare: Double, sourceWidth: Int, sourceHeight: Int) -> Framing {
        var share = headShare
        while true {
            let framing = Framing(landmarks: landmarks, headShare: share)
            if share >= maxHeadShare || framing.bottomInside(sourceHeight: Double(sourceHeight)) { return framing }
            share = min(share + 0.02, maxHeadShare)
        }
    }

    /// Whether the frame's bottom corners fall inside the source (a little slack allowed).
    func bottomInside(sourceHeight: Double) -> Bool {
        [ImagePoint(x: 0, y: Double(height)), ImagePoint(x: Double(width), y: Double(height))].allSatisfy {
            unmap($0).y <= sourceHeight + 0.02 * Double(height) / scale
        }
    }

    /// The source point an output point comes from.
    func unmap(_ point: ImagePoint) -> ImagePoint {
        let determinant = a * d - b * c
        let x = point.x - dx, y = point.y - dy
        return ImagePoint(x: (d * x - b * y) / determinant, y: (-c * x + a * y) / determinant)
    }

    init(landmarks: [ImagePoint], headShare: Double) {
        func mean(_ range: ClosedRange<Int>) -> ImagePoint {
            let points = landmarks[range]
            return ImagePoint(x: points.map(\.x).reduce(0, +) / Double(points.count), y: points.map(\.y).reduce(0, +) / Double(points.count))
        }
        let left = mean(36...41), right = mean(42...47)
        let eyes = ImagePoint(x: (left.x + right.x) / 2, y: (left.y + right.y) / 2)
        let angle = atan2(right.y - left.y, right.x - left.x)
        // Eye line to chin, measured square to the (levelled) eye line.
        let chin = landmarks[8]
        let eyesToChin = abs(-sin(angle) * (chin.x - eyes.x) + cos(angle) * (chin.y - eyes.y))
        let head = eyesToChin / Self.eyesToChinShare
        let sourceHeight = head / headShare
        let outHeight = min(Double(Self.maxHeight), sourceHeight * Self.maxEnlargement)
        // Exactly 4:5 (and even): 8k × 10k pixels.
        let unit = max(Int(outHeight / 10), 8)
        let width = 8 * unit, height = 10 * unit
        let scale = Double(height) / sourceHeight
        // Rotate by −angle (levelling the eyes), scale, then put the eyes at their place in the frame.
        a = scale * cos(angle); b = scale * sin(angle)
        c = -scale * sin(angle); d = scale * cos(angle)
        dx = Double(width) / 2 - (a * eyes.x + b * eyes.y)
        dy = Double(height) * Self.eyeLine - (c * eyes.x + d * eyes.y)
        self.width = width
        self.height = height
        self.scale = scale
    }

    func map(_ point: ImagePoint) -> ImagePoint {
        ImagePoint(x: a * point.x + b * point.y + dx, y: c * point.x + d * point.y + dy)
    }

    /// The frame cut from `raster`, a copy of the source in which source point p sits at
    /// `factor`·p + `origin` (the matte is smaller; the surroundings are smaller and padded).
    /// Where the frame reaches past the raster, it is continued by `extend`.
    func warp(_ raster: Raster, sourceScale factor: Double = 1, origin: ImagePoint = ImagePoint(x: 0, y: 0),
              extend: Raster.Extend) throws(OpenCVError) -> Raster {
        let (ma, mb, mc, md) = (a / factor, b / factor, c / factor, d / factor)
        return try raster.warped((ma, mb, mc, md, dx - (ma * origin.x + mb * origin.y), dy - (mc * origin.x + md * origin.y)),
                                 width: width, height: height, extend: extend)
    }

    /// The person fades out over this share of the frame's height where the frame reaches past the
    /// photo, half of it inside the photo: a body cut by the photo's edge ends softly on the
    /// backdrop instead of repeating the edge's last row down the frame.
    static let edgeFade = 0.08

    /// A weight (1 inside the photo, 0 past its edges, a smooth ramp across them) for the matte, at
    /// 1/16 of the frame's size; nil when the frame lies inside the photo.
    func edgeFade(sourceWidth: Int, sourceHeight: Int) -> Field? {
        let w = Double(sourceWidth), h = Double(sourceHeight)
        let corners = [(0.0, 0.0), (Double(width), 0.0), (0.0, Double(height)), (Double(width), Double(height))]
            .map { unmap(ImagePoint(x: $0.0, y: $0.1)) }
        guard corners.contains(where: { $0.x < 0 || $0.y < 0 || $0.x > w || $0.y > h }) else { return nil }
        let ramp = Self.edgeFade * Double(height)
        return Field(covering: width, height, shrink: 16, minimum: 2) { x, y in
            let p = unmap(ImagePoint(x: x, y: y))
            // Signed distance past the nearest edge, in output pixels (negative inside).
            let past = max(-p.x, p.x - w, -p.y, p.y - h) * scale
            let t = min(max(0.5 - past / ramp, 0), 1)
            return t * t * (3 - 2 * t)
        }
    }
}
