import NIOConcurrencyHelpers

/// One of the customer's accepted photos (its normalised JPEG), numbered so its decoded copy and
/// matte can be reused across the headshots made from it.
public struct StudioSource: Sendable {
    public let id: Int
    public let jpeg: [UInt8]
    public init(id: Int, jpeg: [UInt8]) {
        self.id = id
        self.jpeg = jpeg
    }
}

/// A finished headshot with the checks it passed.
public struct StudioHeadshot: Sendable {
    public let jpeg: [UInt8]
    public let width: Int
    public let height: Int
    /// Mean descriptor distance to the customer's reference photos.
    public let identityDistance: Double
    /// The quality gate's report on the output (no descriptor).
    public let report: PhotoReport
    /// Its grey thumbnail, to keep near-identical headshots of one style apart.
    public let likeness: Likeness
    /// Share of the frame past the photo's edges where the photo's edge is person (0 unless the
    /// photo ends at the neck): there the person fades out instead of going on.
    public let personPastEdge: Double
    /// The framing it was drawn in: the one asked for, or (when the photo does not allow that one)
    /// the next tighter one that fits, or nil when none fits and the person's cut edge fades out.
    public let framing: ShotFraming?
    public let times: StudioTimes
}

/// Time spent in each stage of one headshot (for the benchmark). The first four are paid once per
/// source photo, by the first headshot made from it.
public struct StudioTimes: Sendable {
    public var prepare: Duration = .zero
    public var matte: Duration = .zero
    public var retouch: Duration = .zero
    public var decontaminate: Duration = .zero
    public var framing: Duration = .zero
    public var grade: Duration = .zero
    public var background: Duration = .zero
    public var composite: Duration = .zero
    public var encode: Duration = .zero
    public var identity: Duration = .zero
    /// The output check's own stages (`identity` is their sum): detection, landmarks, descriptor, measures.
    public var check = StageTimes()
    public var total: Duration = .zero

    /// Whether this headshot also paid for work done once per photo.
    public var includesPhotoWork: Bool { prepare > .zero }

    private var stopwatch = Stopwatch()

    /// Adds the time since the previous lap (or since these times began) to `stage`.
    mutating func lap(_ stage: WritableKeyPath<StudioTimes, Duration>) {
        let elapsed = stopwatch.lap()
        self[keyPath: stage] += elapsed
    }
}

/// The built-in studio renderer: turns the customer's own photos into studio headshots on the CPU.
/// It cuts the person out with the segmentation network, frames and levels the portrait from the
/// landmarks, retouches skin lightly, grades light and colour, draws the preset's backdrop and
/// composites, then checks the result with the quality gate and the customer's face descriptors.
/// Work runs on the imaging engine's threads, each with its own dlib session and network.
public struct StudioRenderer: Sendable {
    /// Sources are worked on at most this size (long side): enough for a 2000 px tall headshot.
    static let sourceSide = 3000
    /// How many prepared sources the renderer keeps for each of its threads (shared by all of them).
    static let cachedSources = 3

    public var threadCount: Int { sessions.threadCount }
    private let sessions: SessionPool<ImagingSession>
    private let prepared: PreparedSources

    /// A source photo made ready once for all the headshots made from it: decoded at the
    /// resolution the tightest framing uses, its landmarks found, its matte cut, its skin retouched
    /// and measured, its edge colours decontaminated.
    final class Prepared: Sendable {
        /// The person, ready to be put on a backdrop (decontaminated: not a photo to show as is).
        let pixels: Raster
        let landmarks: [ImagePoint]
        let matte: Raster
        let skin: Grade.Skin

        init(pixels: Raster, landmarks: [ImagePoint], matte: Raster, skin: Grade.Skin) {
            self.pixels = pixels
            self.landmarks = landmarks
            self.matte = matte
            self.skin = skin
        }
    }

    init(sessions: SessionPool<ImagingSession>) {
        self.sessions = sessions
        prepared = PreparedSources(capacity: Self.cachedSources * sessions.threadCount)
    }

    /// Renders one headshot of `source` in `look`. Throws `StudioError` when the source has no usable face.
    public func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]]) async throws -> StudioHeadshot {
        try await sessions.run { [prepared] session in
            try StudioPipeline.render(source, look: look, variation: variation, references: references, prepared: prepared, session: session)
        }
    }
}

/// The sources the renderer prepared last, shared by its threads: a photo prepared by one thread is used
/// by the other for the next headshot made from it (each thread used to prepare every photo itself).
/// Found by number *and* bytes: every order numbers its photos from 0, and one order's photo must never
/// stand in for another's. A `Prepared` is never changed once made, so threads may read one at once.
struct PreparedSources: Sendable {
    private let entries = NIOLockedValueBox<[(id: Int, jpeg: [UInt8], source: StudioRenderer.Prepared)]>([])
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    func find(_ source: StudioSource) -> StudioRenderer.Prepared? {
        entries.withLockedValue { $0.first { $0.id == source.id && $0.jpeg == source.jpeg }?.source }
    }

    /// Keeps `prepared` as the most recent, forgetting the least recent beyond `capacity`.
    func keep(_ prepared: StudioRenderer.Prepared, for source: StudioSource) {
        entries.withLockedValue { entries in
            entries.removeAll { $0.id == source.id && $0.jpeg == source.jpeg }
            entries.insert((source.id, source.jpeg, prepared), at: 0)
            if entries.count > capacity { entries.removeLast(entries.count - capacity) }
        }
    }
}

public enum StudioError: Error, Equatable, CustomStringConvertible {
    case noFace
    public var description: String { "no face was found in the source photo" }
}
