import Foundation

/// Makes an order's headshots. The built-in studio renderer (CPU) implements it, and a hosted GPU
/// model can where a deployment configures one; the queue only knows this protocol.
public protocol Generator: Sendable {
    /// How the images are made, shown to customers truthfully ("studio renderer on our servers").
    var description: String { get }

    /// Makes `work.total` headshots, calling `progress` with the number done so far. Throwing
    /// `GenerationFailure` gives the reason customers see; any other error is reported generically.
    func generate(_ work: GenerationWork, progress: @escaping @Sendable (Int) async throws -> Void) async throws
}

public struct GenerationWork: Sendable {
    public let jobID: UUID
    public let orderID: UUID
    public let presets: [StylePreset]
    public let total: Int
    public let attempt: Int
}

/// A failure with a reason written for the customer ("we could not find your face in enough photos").
public struct GenerationFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
