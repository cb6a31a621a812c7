import Foundation

/// Ready-made crops of a delivered headshot (libvips), labelled like the headshot itself.
public enum HeadshotCrops {
    /// A square of the headshot's full width, placed so the eyes (40 % down a 4:5 headshot) sit
    /// 45 % down the square, at `side` pixels (never enlarged).
    public static func square(_ jpeg: [UInt8], side: Int, origin: HeadshotOrigin) throws -> [UInt8] {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 8192, timeLimit: 30)
        let edge = min(image.width, image.height)
        let top = min(max(Int(Framing.eyeLine * Double(image.height) - 0.45 * Double(edge)), 0), image.height - edge)
        let square = try image.cropped(to: PixelRect(x: (image.width - edge) / 2, y: top, width: edge, height: edge))
        let scale = min(1, Double(side) / Double(edge))
        return try encode(scale < 1 ? try square.resized(by: scale) : square, origin: origin)
    }

    /// The headshot at 4:5, `width` pixels wide (never enlarged).
    public static func portrait(_ jpeg: [UInt8], width: Int, origin: HeadshotOrigin) throws -> [UInt8] {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 8192, timeLimit: 30)
        let scale = min(1, Double(width) / Double(image.width))
        return try encode(scale < 1 ? try image.resized(toWidth: Int(Double(image.width) * scale), height: Int(Double(image.height) * scale)) : image,
                          origin: origin)
    }

    private static func encode(_ image: VipsImage, origin: HeadshotOrigin) throws -> [UInt8] {
        XMPLabel.labelled(try image.jpeg(quality: StudioPipeline.jpegQuality),
                          packet: XMPLabel.packet(sourceType: origin.digitalSourceType, tool: origin.tool))
    }
}
