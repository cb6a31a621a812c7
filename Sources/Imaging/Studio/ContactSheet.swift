import Foundation

/// A grid of images as one PNG (for `make samples`).
public enum ContactSheet {
    public static func png(_ jpegs: [[UInt8]], across: Int, cellWidth: Int) throws -> [UInt8] {
        let cells = try jpegs.map { jpeg -> VipsImage in
            let image = try VipsImage.decodeNormalised(jpeg, maxSide: 4096, timeLimit: 30)
            return try image.resized(toWidth: cellWidth, height: cellWidth * image.height / image.width)
        }
        return try VipsImage.grid(cells, across: across, gap: 8, background: 255).encoded(as: ".png")
    }
}
