import Foundation
import Imaging

/// Makes an order's headshots. The built-in studio renderer (CPU) implements it, and a hosted GPU
/// model can where a deployment configures one; the queue only knows this protocol.
package protocol Generator: Sendable {
    /// How the images are made, shown to customers truthfully ("studio renderer on our servers").
    var description: String { get }

    /// Makes the headshots of `work.pending` (indices not yet delivered by an earlier attempt) and
    /// hands each to `output` as soon as it is made. Throwing `GenerationFailure` gives the reason
    /// customers see; any other error is reported generically.
    func generate(_ work: GenerationWork, output: any HeadshotSink) async throws
}

package struct GenerationWork: Sendable {
    package let jobID: UUID
    package let orderID: UUID
    package let presets: [StylePreset]
    package let total: Int
    package let attempt: Int
    /// Headshot numbers (0..<total) that earlier attempts already delivered; a retry after a crash
    /// resumes instead of starting over, and never makes the same headshot twice.
    package let delivered: Set<Int>
    /// A re-run: the headshots of `presets` (one per headshot, in order) made again from the order's
    /// photos, as pictures other than the ones the order delivered.
    package var remake = false
    /// The colour every drawn backdrop is painted in (a team's brand colour), or nil for the presets' own.
    package var backdrop: BackdropColour?

    package var pending: [Int] { (0..<total).filter { !delivered.contains($0) } }

    /// The preset headshot `index` is drawn in: presets take turns, so every chosen style gets its share.
    package func preset(for index: Int) -> StylePreset? {
        presets.isEmpty ? nil : presets[index % presets.count]
    }
}

/// One finished headshot, ready to store.
package struct Headshot: Sendable {
    /// Its number in the order, 0..<total, stable across attempts.
    package let index: Int
    package let preset: String
    package let jpeg: [UInt8]
    package let width: Int
    package let height: Int
    /// Face-descriptor distance to the customer's reference photos, when the generator measured it.
    package let identityDistance: Double?
    /// The planned shot it was drawn as (`StudioShot.code`), for generators that plan.
    package let shot: String?
    /// How it was made (each file's IPTC Digital Source Type says the same).
    package let origin: HeadshotOrigin

    package init(index: Int, preset: String, jpeg: [UInt8], width: Int, height: Int, identityDistance: Double?, shot: String? = nil,
                origin: HeadshotOrigin = .studio) {
        self.shot = shot
        self.origin = origin
        self.index = index
        self.preset = preset
        self.jpeg = jpeg
        self.width = width
        self.height = height
        self.identityDistance = identityDistance
    }
}

/// Where a generator puts what it made: stored and recorded at once, fenced by the job's lease.
package protocol HeadshotSink: Sendable {
    func deliver(_ headshot: Headshot) async throws
}

/// A failure with a reason written for the customer ("we could not find your face in enough photos"),
/// and a short code for metrics and support.
package struct GenerationFailure: Error, Sendable {
    package let code: String
    package let reason: String
    package init(_ reason: String, code: String = "generation_failed") {
        self.reason = reason
        self.code = code
    }
}
