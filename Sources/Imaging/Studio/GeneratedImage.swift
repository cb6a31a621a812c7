import Foundation

/// How a delivered headshot was made, in the IPTC Digital Source Type vocabulary each file carries.
public enum HeadshotOrigin: String, Sendable, CaseIterable, Codable {
    /// The studio renderer: the customer's own photo composited onto a drawn backdrop or office.
    case studio
    /// A diffusion model on a GPU provider, conditioned on the customer's photos.
    case diffusion
    /// The queue probe's flat grey test images (never in production).
    case probe

    public var digitalSourceType: String {
        switch self {
        case .studio, .probe: "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic"
        case .diffusion: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        }
    }

    public var tool: String {
        switch self {
        case .studio: "Headshot Studio studio renderer"
        case .diffusion: "Headshot Studio remote diffusion model"
        case .probe: "Headshot Studio queue probe"
        }
    }
}

/// An image a remote model made, decoded and normalised like an upload (upright, sRGB, no
/// metadata, at most `maxSide`), labelled as diffusion-generated, and put through the same checks
/// as a studio render: the quality gate, the identity distance to the customer's photos, and its
/// likeness thumbnail for twins.
public struct CheckedGeneratedImage: Sendable {
    public let jpeg: [UInt8]
    public let width: Int
    public let height: Int
    /// The quality gate's report (no descriptor).
    public let report: PhotoReport
    /// Mean descriptor distance to the references; infinity when no face was found.
    public let identityDistance: Double
    public let likeness: Likeness
}

extension ImagingEngine {
    /// The long side a generated headshot is stored at, at most.
    public static let generatedMaxSide = 2048

    /// Decodes, normalises, labels and checks one output of a remote model, on the engine's threads.
    /// Throws `PhotoError` when the bytes are not an acceptable image.
    public func checkGenerated(_ bytes: [UInt8], references: [[Float]], limits: PhotoLimits = PhotoLimits()) async throws -> CheckedGeneratedImage {
        try await inspector.onPool { session in
            var limits = limits
            limits.maxStoredSide = Self.generatedMaxSide
            let decoded = try PhotoDecoder.decode(bytes, limits: limits)
            let origin = HeadshotOrigin.diffusion
            let jpeg = XMPLabel.labelled(decoded.jpeg, packet: XMPLabel.packet(sourceType: origin.digitalSourceType, tool: origin.tool))
            let photo = DecodedPhoto(format: .jpeg, originalWidth: decoded.width, originalHeight: decoded.height, image: decoded.image, jpeg: jpeg)
            let measurements = try PhotoAnalyzer.measure(photo, session: session, detectionPixels: StudioPipeline.outputDetectionPixels)
            let report = PhotoReport(format: .jpeg, measurements: measurements)
            let descriptor = measurements.primary?.descriptor ?? []
            let distance = descriptor.isEmpty || references.isEmpty
                ? Double.infinity
                : references.map { SetEvaluator.distance(descriptor, $0) }.reduce(0, +) / Double(references.count)
            let likeness = Likeness(thumbnail: try Raster(decoded.image.materialised()).greyThumbnail(width: Likeness.width, height: Likeness.height))
            return CheckedGeneratedImage(jpeg: jpeg, width: decoded.width, height: decoded.height, report: report.withoutBiometrics(),
                                         identityDistance: distance, likeness: likeness)
        }
    }
}
