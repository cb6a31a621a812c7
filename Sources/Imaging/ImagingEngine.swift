import NIOCore
import NIOPosix

/// The one owner of the imaging work of a process: dlib's face models, loaded once, and one pool of
/// threads (one per core by default), each with its own session — detectors, descriptor network,
/// segmentation network and backdrop grain. The quality gate (`inspector`) and the studio renderer
/// (`renderer`) are façades over it, so uploads and renders share the same threads instead of each
/// starting one per core, and the models sit in memory once. No blocking C call runs on the
/// caller's thread: every job borrows a session on one of the engine's threads. Call `shutdown()`
/// before dropping it.
public final class ImagingEngine: Sendable {
    /// Jobs worked on at the same time (one per thread).
    public let threadCount: Int
    /// The photo quality gate.
    public let inspector: PhotoInspector
    /// The studio renderer.
    public let renderer: StudioRenderer
    private let sessions: SessionPool<ImagingSession>

    /// Loads the models (a second or two) and starts the threads. Throws `FaceEngineError.modelsMissing`
    /// naming the files when the models folder is incomplete.
    public init(models files: FaceModelFiles, threads: Int = System.coreCount, limits: PhotoLimits = PhotoLimits()) throws {
        try Vips.start()
        let models = try FaceModels(files: files)
        let segmenterPath = files.path(Segmenter.modelName)
        let sessions = try SessionPool(threads: threads) { try ImagingSession(models: models, segmenterPath: segmenterPath) }
        self.sessions = sessions
        self.threadCount = sessions.threadCount
        self.inspector = PhotoInspector(sessions: sessions, limits: limits)
        self.renderer = StudioRenderer(sessions: sessions)
    }

    public func shutdown() async throws {
        try await sessions.shutdown()
    }

    /// Makes the studio's tools on every thread now rather than at the first render (for `serve` and
    /// `worker`, at boot).
    public func warmUp() async throws {
        let sessions = self.sessions
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<threadCount {
                group.addTask { try await sessions.run { session in _ = try session.segmenter(); _ = try session.grain() } }
            }
            try await group.waitForAll()
        }
    }

    /// Runs blocking image work (a crop, a resize) on one of the engine's threads.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await sessions.run { _ in try work() }
    }
}

/// One thread's own C resources: dlib's detectors and networks, the segmentation network and the
/// backdrop grain keep scratch state, so a session is used by one thread at a time. The studio's
/// tools (network, grain) are made the first time the thread renders, or by `warmUp`, so a process
/// that only checks photos never holds them.
final class ImagingSession: @unchecked Sendable {
    // @unchecked: a session is used by one pool thread at a time (taken from and returned to the pool).
    let faces: FaceSession
    private let segmenterPath: String
    private var loadedSegmenter: Segmenter?
    private var drawnGrain: Backdrop.Grain?

    init(models: FaceModels, segmenterPath: String) throws {
        faces = try FaceSession(models: models)
        self.segmenterPath = segmenterPath
    }

    func segmenter() throws -> Segmenter {
        if let loadedSegmenter { return loadedSegmenter }
        let made = try Segmenter(modelPath: segmenterPath)
        loadedSegmenter = made
        return made
    }

    func grain() throws -> Backdrop.Grain {
        if let drawnGrain { return drawnGrain }
        let made = try Backdrop.Grain()
        drawnGrain = made
        return made
    }
}
