import BlobStorage
import Fluent
import Foundation
import Imaging
import NIOConcurrencyHelpers

/// What renders one headshot: the studio renderer, or in tests a wrapper around it.
protocol HeadshotRendering: Sendable {
    var threadCount: Int { get }
    func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]]) async throws -> StudioHeadshot
}

extension StudioRenderer: HeadshotRendering {}

/// The built-in generator: the studio renderer, on this machine's CPU, from the customer's own
/// accepted photos (the best-scoring first). Every output must pass the quality gate and be within
/// the identity threshold of the customer's photos, and must not be near-identical to another
/// headshot of the same preset; one that fails is discarded and made again from another photo or
/// variation.
struct StudioGenerator: Generator {
    static let description = "Studio renderer: your own photos, cut out, lightly retouched, relit and placed on a studio backdrop by software on our servers — no generative AI."
    /// Mean descriptor distance to the customer's photos above which an output is not delivered.
    /// Outputs of person-a img1 in the five presets measure 0.36–0.38; a stranger's photo measures above 0.6.
    static let identityThreshold = 0.45
    /// Headshots of one preset must differ in at least this many bits of their 64-bit difference hash.
    static let minimumHashDistance = 6
    /// Photos used as sources, best quality score first.
    static let maxSources = 8
    /// Renders tried for one headshot before the job fails.
    static let maxTries = 4

    var description: String { Self.description }
    /// The renderer, loaded with the imaging engine the first time a job needs it.
    let renderer: @Sendable () async throws -> any HeadshotRendering
    let database: DatabaseProvider
    let store: any BlobStore

    func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        let uploads = try await UploadAsset.query(on: try database()).filter(\.$order.$id == work.orderID).filter(\.$status == .accepted)
            .sort(\.$qualityScore, .descending).all()
        let references = Self.references(uploads.compactMap { $0.faceDescriptor.flatMap(StoredReport.decodeDescriptor) })
        guard !uploads.isEmpty, !references.isEmpty else {
            throw GenerationFailure("We could not find the photos you uploaded for this order. Please contact support.", code: "no_photos")
        }
        var loaded: [StudioSource] = []
        for (number, upload) in uploads.prefix(Self.maxSources).enumerated() {
            loaded.append(StudioSource(id: number, jpeg: try await store.read(try BlobKey(path: upload.blobKey))))
        }
        let sources = loaded
        let renderer = try await renderer()
        let accepted = NIOLockedValueBox<[String: [UInt64]]>([:])
        let pending = work.pending, presets = max(work.presets.count, 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (position, index) in pending.enumerated() {
                if position >= renderer.threadCount { try await group.next() }
                let look = StudioLook.named(work.preset(for: index)?.rawValue ?? "") ?? StudioLook.all[0]
                group.addTask {
                    for attempt in 0..<Self.maxTries {
                        // Consecutive headshots share a photo across the presets; retries move to the next photo.
                        let source = sources[(index / presets + attempt) % sources.count]
                        let headshot = try await renderer.render(source, look: look, variation: .number(index + 7 * attempt), references: references)
                        guard headshot.report.verdict == .pass, headshot.identityDistance <= Self.identityThreshold,
                              Self.claim(headshot.hash, preset: look.id, in: accepted) else { continue }
                        try await output.deliver(Headshot(index: index, preset: look.id, jpeg: headshot.jpeg, width: headshot.width,
                                                          height: headshot.height, identityDistance: headshot.identityDistance))
                        return
                    }
                    throw GenerationFailure(
                        "We could not make headshots that both pass our quality checks and still look like you from these photos. Support has been told; a refund is available.",
                        code: "quality")
                }
            }
            try await group.waitForAll()
        }
    }

    /// The customer's descriptors that agree with each other: a photo whose median distance to the
    /// rest is beyond dlib's same-person distance is left out of the reference.
    static func references(_ descriptors: [[Float]]) -> [[Float]] {
        guard descriptors.count > 2 else { return descriptors }
        return descriptors.filter { descriptor in
            let distances = descriptors.map { SetEvaluator.distance(descriptor, $0) }.sorted()
            return distances[distances.count / 2] <= 0.6
        }
    }

    /// Records the hash unless a headshot of the same preset is within `minimumHashDistance` bits of it.
    static func claim(_ hash: UInt64, preset: String, in accepted: NIOLockedValueBox<[String: [UInt64]]>) -> Bool {
        accepted.withLockedValue { byPreset in
            let others = byPreset[preset, default: []]
            guard others.allSatisfy({ ($0 ^ hash).nonzeroBitCount >= minimumHashDistance }) else { return false }
            byPreset[preset, default: []].append(hash)
            return true
        }
    }
}
