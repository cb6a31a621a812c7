import COpenCVShim
import Foundation

/// Modern Office's backdrop: a drawn office interior seen out of focus behind the person, as a
/// portrait lens at a wide aperture renders it. A window on the key light's side (the light comes
/// from it), shelves with books on the other, a plant, warm practical lamps, a desk below; the
/// palette, the layout and the lamps change with every headshot's seed. Nothing of the customer's
/// own surroundings is used: they may show other people, logos or a home.
///
/// The room is drawn with OpenCV's anti-aliased shapes at a sixth of the frame's size, blurred
/// there (the depth of field), then enlarged with the backdrop grain.
enum Office {
    /// The room is drawn this many times smaller than the frame.
    static let shrink = 6
    /// The background's blur (σ) as a share of the frame's width: a short telephoto at f/2 or so,
    /// a few metres behind the sitter.
    static let blurShare = 0.024

    struct Palette {
        let wall: [Double]
        let wood: [Double]
        let floor: [Double]
    }

    static let palettes = [
        Palette(wall: [198, 190, 178], wood: [124, 90, 62], floor: [92, 74, 60]),
        Palette(wall: [186, 190, 192], wood: [96, 74, 56], floor: [70, 66, 64]),
        Palette(wall: [184, 190, 174], wood: [146, 114, 82], floor: [104, 90, 72]),
        Palette(wall: [214, 208, 198], wood: [110, 82, 60], floor: [86, 80, 76]),
    ]

    /// Book spines: muted, never a saturated pink or magenta (nothing to mistake for a keying colour).
    static let spines: [[Double]] = [
        [52, 64, 96], [140, 70, 50], [180, 140, 70], [96, 106, 70], [222, 214, 196], [110, 124, 140], [46, 78, 64], [160, 156, 150],
    ]

    static let leaves: [[Double]] = [[62, 104, 58], [84, 128, 70], [48, 86, 52], [104, 140, 84]]

    static func draw(width: Int, height: Int, variation: StudioVariation, grain: Backdrop.Grain) throws(OpenCVError) -> Raster {
        let smallWidth = max(width / shrink, 16), smallHeight = max(height / shrink, 20)
        let shapes = scene(width: Double(smallWidth), height: Double(smallHeight), variation: variation)
        var small = Raster(width: smallWidth, height: smallHeight, channels: 3)
        let sigma = blurShare * Double(width) / Double(shrink)
        let flat = shapes.flatMap(\.values)
        try small.write("office") { pixels, w, h, _, error, length in
            hs_draw_scene(pixels, w, h, flat, Int32(shapes.count), sigma, error, length)
        }
        var out = Raster(width: width, height: height, channels: 3)
        try out.write("office enlarge") { pixels, w, h, _, error, length in
            hs_enlarge_grained(small.bytes, Int32(smallWidth), Int32(smallHeight), grain.values, Int32(grain.width), pixels, w, h, error, length)
        }
        return out
    }

    struct Shape {
        enum Kind: Double { case rectangle = 0, ellipse = 1 }
        let kind: Kind
        let x: Double, y: Double, width: Double, height: Double
        let colour: [Double]
        let opacity: Double

        var values: [Double] { [kind.rawValue, x, y, width, height, colour[0], colour[1], colour[2], opacity] }
    }

    /// The room for one headshot, in drawing order, in a `width` × `height` canvas.
    static func scene(width W: Double, height H: Double, variation: StudioVariation) -> [Shape] {
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: variation.seed) &* 31 &+ 0x0FF1CE)
        let palette = palettes[Int(random.next() % UInt64(palettes.count))]
        let brightness = 1 + 0.06 * variation.tone
        func tone(_ colour: [Double], _ factor: Double = 1) -> [Double] { colour.map { min($0 * factor * brightness, 255) } }
        var shapes: [Shape] = []
        func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ colour: [Double], _ opacity: Double = 1) {
            shapes.append(Shape(kind: .rectangle, x: x, y: y, width: w, height: h, colour: colour, opacity: opacity))
        }
        func ellipse(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ colour: [Double], _ opacity: Double = 1) {
            shapes.append(Shape(kind: .ellipse, x: cx - rx, y: cy - ry, width: 2 * rx, height: 2 * ry, colour: colour, opacity: opacity))
        }
        // The key light comes from the window: on the image's left when the light is from the left.
        let windowLeft = variation.lightSide > 0
        func side(_ x: Double, _ w: Double, window: Bool) -> Double {
            // `x` measured from the room's outer edge on the window's side (or the other side).
            (window == windowLeft) ? x : W - x - w
        }

        // The wall, darker away from the window and towards the floor.
        rect(0, 0, W, H, tone(palette.wall))
        ellipse(side(0, 0, window: true), H * 0.3, W * 0.8, H * 0.7, tone(palette.wall, 1.12), 0.55)
        ellipse(side(0, 0, window: false), H * 0.7, W * 0.7, H * 0.6, tone(palette.wall, 0.78), 0.45)

        // The window: a bright opening with a hint of trees and sky, split by mullions.
        let windowWidth = W * random.next(in: 0.26...0.36), windowTop = H * random.next(in: 0.0...0.08)
        let windowHeight = H * random.next(in: 0.62...0.74)
        let windowX = side(-W * 0.04, windowWidth, window: true)
        rect(windowX, windowTop, windowWidth, windowHeight, tone([236, 240, 244], 1))
        for _ in 0..<3 {
            ellipse(windowX + windowWidth * random.next(in: 0.1...0.9), windowTop + windowHeight * random.next(in: 0.45...0.9),
                    windowWidth * random.next(in: 0.15...0.3), windowHeight * random.next(in: 0.1...0.2), [150, 178, 140], 0.35)
        }
        let bar = W * 0.012
        for part in [1.0 / 3, 2.0 / 3] { rect(windowX + windowWidth * part - bar / 2, windowTop, bar, windowHeight, tone(palette.wall, 0.85)) }
        rect(windowX, windowTop + windowHeight * 0.45, windowWidth, bar, tone(palette.wall, 0.85))
        // Daylight spilling onto the wall beside the window.
        ellipse(windowX + windowWidth / 2, windowTop + windowHeight / 2, windowWidth * 1.1, windowHeight * 0.7, [250, 248, 240], 0.22)

        // Shelves with books on the other side.
        let shelfWidth = W * random.next(in: 0.26...0.34), shelfX = side(-W * 0.02, shelfWidth, window: false)
        let boards = 2 + Int(random.next() % 2)
        var y = H * random.next(in: 0.18...0.28)
        for _ in 0..<boards {
            var x = shelfX + W * 0.01
            while x < shelfX + shelfWidth - W * 0.03 {
                let spine = W * random.next(in: 0.014...0.03), tall = H * random.next(in: 0.05...0.085)
                if random.next() % 7 != 0 {
                    rect(x, y - tall, spine, tall, tone(spines[Int(random.next() % UInt64(spines.count))]))
                }
                x += spine + W * random.next(in: 0...0.004)
            }
            rect(shelfX, y, shelfWidth, H * 0.014, tone(palette.wood))
            y += H * random.next(in: 0.15...0.19)
        }

        // Warm practical lamps: a pendant, a wall light or a lamp on the shelves, each a glowing
        // disc in a wide halo (out of focus, they become soft bokeh).
        let lamps = 1 + Int(random.next() % 3)
        for lamp in 0..<lamps {
            let x = lamp == 0 ? side(W * random.next(in: 0.05...0.25), 0, window: false) : W * random.next(in: 0.3...0.7)
            let cy = H * random.next(in: 0.06...0.42), r = W * random.next(in: 0.018...0.032)
            ellipse(x, cy, r * 3.2, r * 3.2, [255, 206, 150], 0.22)
            ellipse(x, cy, r, r, [255, 222, 178], 0.95)
        }

        // A plant by the window, most of the time.
        if random.next() % 5 != 0 {
            let potX = side(W * random.next(in: 0.04...0.16), W * 0.09, window: true), potY = H * random.next(in: 0.66...0.74)
            for _ in 0..<9 {
                ellipse(potX + W * 0.045 + W * random.next(in: -0.09...0.09), potY - H * random.next(in: 0.02...0.18),
                        W * random.next(in: 0.03...0.06), H * random.next(in: 0.015...0.04), tone(leaves[Int(random.next() % UInt64(leaves.count))]))
            }
            rect(potX, potY, W * 0.09, H * 0.08, tone(random.next() % 2 == 0 ? [176, 104, 72] : [226, 222, 214]))
        }

        // The desk and floor below.
        let deskTop = H * random.next(in: 0.78...0.86)
        rect(0, deskTop, W, H - deskTop, tone(palette.floor))
        rect(0, deskTop, W, H * 0.012, tone(palette.wood, 1.2))
        return shapes
    }
}
