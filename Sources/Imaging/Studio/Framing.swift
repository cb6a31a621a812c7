import Foundation

/// Where the headshot's frame sits in the source photo: the eye line levelled, the eyes 40 % from
/// the top and across at the framing's place, the head at the framing's share of the frame's
/// height, 4:5, at the largest size the source supports without enlarging it more than 1.5×.
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

    /// The tightest share any framing uses (a tight close-up's limit): sources are brought down to the
    /// detail it needs, no more.
    static let maxHeadShare = ShotFraming.allCases.map(\.tightestShare).max() ?? 0.8

    /// `kind` at the first of its placements (loosest first, the person moved at most 6 % of the
    /// width sideways) at which the person never runs out of the photo inside the frame
    /// (`personPastEdge` is zero): where a photo ends close below the chest the crop is tighter, so
    /// the body leaves the frame at its bottom edge; where a shoulder is cut by a side, the frame
    /// stops at that side. Nil when no placement would keep the person's cut edges out of view.
    ///
    /// `person` is the matte value from which an edge pixel counts as person: the upload check is
    /// strict (it promises the framing to the plan) and the renderer lenient (the photo it gets was
    /// decoded again, and its matte differs by a few levels), so what was planned can be drawn.
    static func choose(_ kind: ShotFraming, landmarks: [ImagePoint], matte: Raster, matteScale: Double,
                       sourceWidth: Int, sourceHeight: Int, person: UInt8 = 64, extended: Bool = false) -> Framing? {
        for (share, eyeX) in extended ? kind.renderPlacements : kind.placements {
            let framing = Framing(landmarks: landmarks, headShare: share, eyeX: eyeX)
            if !framing.bordersPerson(matte: matte, matteScale: matteScale, sourceWidth: sourceWidth, sourceHeight: sourceHeight, person: person) {
                return framing
            }
        }
        return nil
    }

    /// The share of the frame (sampled every 8 output pixels) that lies past the photo's edges
    /// where the photo's edge row or column is person (matte above a quarter): what would show as
    /// the person repeated or faded out. Past an edge the photo shows background at, the backdrop
    /// simply goes on.
    func personPastEdge(matte: Raster, matteScale: Double, sourceWidth: Int, sourceHeight: Int) -> Double {
        let w = Double(sourceWidth), h = Double(sourceHeight), step = 8
        var past = 0, samples = 0
        for y in stride(from: step / 2, to: height, by: step) {
            for x in stride(from: step / 2, to: width, by: step) {
                samples += 1
                if personPast(ImagePoint(x: Double(x), y: Double(y)), matte: matte, matteScale: matteScale, w: w, h: h) { past += 1 }
            }
        }
        return samples == 0 ? 0 : Double(past) / Double(samples)
    }

    /// Whether any point of the frame's border (where a frame leaves the photo, its border does
    /// too), sampled every 8 pixels, lies past an edge the photo's person reaches. The cheap test
    /// `choose` runs for every placement it tries.
    func bordersPerson(matte: Raster, matteScale: Double, sourceWidth: Int, sourceHeight: Int, person: UInt8 = 64) -> Bool {
        let w = Double(sourceWidth), h = Double(sourceHeight), step = 8
        for x in stride(from: 0, through: width, by: step) {
            for y in [0, height] where personPast(ImagePoint(x: Double(x), y: Double(y)), matte: matte, matteScale: matteScale, w: w, h: h, person: person) {
                return true
            }
        }
        for y in stride(from: 0, through: height, by: step) {
            for x in [0, width] where personPast(ImagePoint(x: Double(x), y: Double(y)), matte: matte, matteScale: matteScale, w: w, h: h, person: person) {
                return true
            }
        }
        return false
    }

    /// Whether output point `point` lies past the photo's edge where the photo's nearest edge pixel is person.
    private func personPast(_ point: ImagePoint, matte: Raster, matteScale: Double, w: Double, h: Double, person: UInt8 = 64) -> Bool {
        let p = unmap(point)
        guard p.x < -1 || p.y < -1 || p.x > w + 1 || p.y > h + 1 else { return false }
        let mx = min(max(Int(min(max(p.x, 0), w - 1) * matteScale), 0), matte.width - 1)
        let my = min(max(Int(min(max(p.y, 0), h - 1) * matteScale), 0), matte.height - 1)
        return matte.bytes[my * matte.width + mx] > person
    }

    /// The source point an output point comes from.
    func unmap(_ point: ImagePoint) -> ImagePoint {
        let determinant = a * d - b * c
        let x = point.x - dx, y = point.y - dy
        return ImagePoint(x: (d * x - b * y) / determinant, y: (-c * x + a * y) / determinant)
    }

    init(landmarks: [ImagePoint], headShare: Double, eyeX: Double = 0.5) {
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
        dx = Double(width) * eyeX - (a * eyes.x + b * eyes.y)
        dy = Double(height) * Self.eyeLine - (c * eyes.x + d * eyes.y)
        self.width = width
        self.height = height
        self.scale = scale
    }

    func map(_ point: ImagePoint) -> ImagePoint {
        ImagePoint(x: a * point.x + b * point.y + dx, y: c * point.x + d * point.y + dy)
    }

    /// The frame cut from `raster`, a copy of the source in which source point p sits at
    /// `factor`·p + `origin` (the matte is smaller).
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

/// Which framings a photo allows, worked out once when it is uploaded, the way the renderer will
/// choose them: from its landmarks and the person's matte.
enum StudioFramings {
    /// The matte is cut at this long side at most (the renderer's matte is no finer).
    static let matteSide = Segmenter.refineSide

    static func available(in image: VipsImage, landmarks: [ImagePoint], segmenter: Segmenter) throws -> [ShotFraming] {
        let scale = min(1, Double(matteSide) / Double(max(image.width, image.height)))
        let small = scale < 1 ? try image.resized(by: scale).materialised() : image
        let matte = try segmenter.matte(of: try Raster(small))
        let matteScale = Double(matte.width) / Double(image.width)
        var kept: [(kind: ShotFraming, frame: Framing)] = []
        for kind in ShotFraming.allCases {
            guard let frame = Framing.choose(kind, landmarks: landmarks, matte: matte, matteScale: matteScale,
                                             sourceWidth: image.width, sourceHeight: image.height, person: uploadPerson),
                  !kept.contains(where: { $0.frame.overlap(with: frame) > samePicture }) else { continue }
            kept.append((kind, frame))
        }
        return kept.map(\.kind)
    }

    /// The upload check's (strict) threshold for an edge pixel that is person; the renderer uses 128.
    static let uploadPerson: UInt8 = 40

    /// Two frames of one photo overlapping this much (intersection over union) are one picture:
    /// a 4 % re-crop overlaps 0.92, a 6 % shift sideways 0.89.
    static let samePicture = 0.85
}

extension Framing {
    /// The frame's area in the source photo as a rectangle (the small levelling rotation ignored).
    var sourceRect: ImageRect {
        let centre = unmap(ImagePoint(x: Double(width) / 2, y: Double(height) / 2))
        let w = Double(width) / scale, h = Double(height) / scale
        return ImageRect(x: centre.x - w / 2, y: centre.y - h / 2, width: w, height: h)
    }

    /// Intersection over union of the two frames' areas in the source photo.
    func overlap(with other: Framing) -> Double {
        let a = sourceRect, b = other.sourceRect
        let w = max(0, min(a.x + a.width, b.x + b.width) - max(a.x, b.x))
        let h = max(0, min(a.y + a.height, b.y + b.height) - max(a.y, b.y))
        let intersection = w * h
        return intersection / (a.width * a.height + b.width * b.height - intersection)
    }
}
