import COpenCVShim
import Foundation

/// A light retouch on the face only: edge-preserving smoothing of skin (a mask built from the
/// landmarks, minus eyes, brows and lips, and limited to skin-coloured pixels), and a touch of
/// sharpening on the eyes. The face's shape and features are never moved or redrawn.
enum Retouch {
    /// Share of the smoothed skin blended in.
    static let skinStrength = 0.45

    static func apply(to image: VipsImage, landmarks p: [ImagePoint]) throws -> VipsImage {
        let faceWidth = p[0].distance(to: p[16]), faceHeight = max(p[8].y - min(p[19].y, p[24].y), 1)
        // The working region: the face and forehead with a margin.
        let region = ImageRect(x: p[0].x - 0.1 * faceWidth, y: min(p[19].y, p[24].y) - 0.45 * faceHeight,
                               width: 1.2 * faceWidth, height: 1.55 * faceHeight)
            .pixelRect().clamped(width: image.width, height: image.height)
        let crop = try image.cropped(to: region).materialised()
        let local = p.map { ImagePoint(x: $0.x - Double(region.x), y: $0.y - Double(region.y)) }
        let w = crop.width, h = crop.height

        // Skin: jaw line closed over a forehead band above the brows…
        let lift = 0.22 * faceHeight
        let forehead = (17...26).reversed().map { ImagePoint(x: local[$0].x, y: local[$0].y - lift) }
        var skin = [UInt8](repeating: 0, count: w * h)
        try fill(&skin, w, h, [Array(local[0...16]) + forehead], 255)
        // …without the eyes (enlarged), brows (as bands) and lips.
        let eyes = [scaled(Array(local[36...41]), 1.7), scaled(Array(local[42...47]), 1.7)]
        let brows = [band(Array(local[17...21]), thickness: 0.07 * faceHeight), band(Array(local[22...26]), thickness: 0.07 * faceHeight)]
        try fill(&skin, w, h, eyes + brows + [scaled(Array(local[48...59]), 1.15)], 0)
        // Only skin-coloured pixels (hair across the forehead is left alone): within ΔE 22 of the
        // cheeks. A smooth mask, so measured on a quarter-size copy.
        let cheeks = try Grade.skin(of: crop, landmarks: local)
        let lab = try crop.resized(by: 0.25).converted(to: .lab)
        let difference = try lab.linear([1, 1, 1], [-cheeks.lightness, -cheeks.a, -cheeks.b])
        let distance = try difference.multiplying(difference).bandSum().raised(to: 0.5)
        let skinColoured = try distance.scaled(-1 / 12, plus: 22 / 12).clamped(0, 1).materialised().resized(toWidth: w, height: h)

        let feather = max(1.5, faceWidth / 80)
        let skinWeight = try VipsImage.fromPixels(skin, width: w, height: h, bands: 1).gaussianBlurred(sigma: feather)
            .scaled(skinStrength / 255).multiplying(skinColoured)
        // The bilateral filter works at half size (a quarter of the pixels): what it takes away from skin
        // — blotches and uneven tone — is broad, so its change is enlarged and applied to the full-size face.
        let half = try crop.shrunk(by: 2).materialised()
        let halfRGB = try half.pixels()
        var smooth = [UInt8](repeating: 0, count: halfRGB.count)
        let diameter = max(3, Int(faceWidth / 90) | 1)
        try OpenCV.call("bilateral filter") {
            hs_bilateral(halfRGB, Int32(half.width), Int32(half.height), Int32(diameter), 28, Double(diameter), &smooth, $0, $1)
        }
        let change = try VipsImage.fromPixels(smooth, width: half.width, height: half.height, bands: 3).subtracting(half)
            .materialised().resized(toWidth: w, height: h)
        var result = try crop.adding(try change.multiplying(skinWeight)).uchar().interpreted(as: .sRGB).materialised()

        // A touch of sharpening on each eye, in a small box around it, faded out at the eye's edge.
        for eye in [Array(local[36...41]), Array(local[42...47])] {
            let eyeWidth = max(eye[3].distance(to: eye[0]), 4)
            let box = ImageRect(x: eye[0].x - 0.5 * eyeWidth, y: (eye.map(\.y).min() ?? eye[0].y) - 0.7 * eyeWidth,
                                width: 2 * eyeWidth, height: 1.6 * eyeWidth).pixelRect().clamped(width: w, height: h)
            let part = try result.cropped(to: box).materialised()
            var mask = [UInt8](repeating: 0, count: box.width * box.height)
            try fill(&mask, box.width, box.height, [scaled(eye.map { ImagePoint(x: $0.x - Double(box.x), y: $0.y - Double(box.y)) }, 1.4)], 255)
            let weight = try VipsImage.fromPixels(mask, width: box.width, height: box.height, bands: 1).gaussianBlurred(sigma: feather).scaled(1 / 255)
            let sharp = try part.sharpened(sigma: max(0.7, faceWidth / 500), amount: 2.2)
            let blended = try part.adding(try sharp.subtracting(part).multiplying(weight)).uchar().interpreted(as: .sRGB)
            result = try result.inserting(blended, x: box.x, y: box.y).materialised()
        }
        return try image.inserting(result, x: region.x, y: region.y)
    }

    private static func fill(_ mask: inout [UInt8], _ width: Int, _ height: Int, _ polygons: [[ImagePoint]], _ value: UInt8) throws {
        let points = polygons.flatMap { $0.flatMap { [$0.x, $0.y] } }
        let counts = polygons.map { Int32($0.count) }
        try OpenCV.call("fill polygons") {
            hs_fill_polygons(&mask, Int32(width), Int32(height), points, counts, Int32(polygons.count), value, $0, $1)
        }
    }

    /// The polygon grown (or shrunk) about its centre.
    private static func scaled(_ points: [ImagePoint], _ factor: Double) -> [ImagePoint] {
        let cx = points.map(\.x).reduce(0, +) / Double(points.count), cy = points.map(\.y).reduce(0, +) / Double(points.count)
        return points.map { ImagePoint(x: cx + ($0.x - cx) * factor, y: cy + ($0.y - cy) * factor) }
    }

    /// A band along a polyline (a brow), `thickness` tall.
    private static func band(_ line: [ImagePoint], thickness: Double) -> [ImagePoint] {
        line.map { ImagePoint(x: $0.x, y: $0.y - thickness) } + line.reversed().map { ImagePoint(x: $0.x, y: $0.y + thickness) }
    }
}
