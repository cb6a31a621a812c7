import Imaging
import NIOConcurrencyHelpers
import Vapor

extension Application {
    private struct InspectorKey: StorageKey { typealias Value = EngineHolder<PhotoInspector> }
    private struct RendererKey: StorageKey { typealias Value = EngineHolder<StudioRenderer> }

    /// Registers the quality gate and the studio renderer; called once from `configure`.
    func useImaging() {
        let files = FaceModelFiles(directory: config.modelsDirectory)
        let inspector = EngineHolder { try PhotoInspector(models: files, threads: System.coreCount) }
        storage[InspectorKey.self] = inspector
        lifecycle.use(inspector)
        let renderer = EngineHolder { try StudioRenderer(models: files, threads: System.coreCount) }
        storage[RendererKey.self] = renderer
        lifecycle.use(renderer)
    }

    /// The photo quality gate. Its models (~300 MB) load on first use, or at boot for commands that
    /// check photos; it is shut down with the application.
    public var photoInspector: PhotoInspector {
        get throws {
            guard let holder = storage[InspectorKey.self] else { fatalError("configure(_:) has not run") }
            return try holder.engine()
        }
    }

    /// The studio renderer (its own dlib sessions and segmentation networks), loaded on first use.
    public var studioRenderer: StudioRenderer {
        get throws {
            guard let holder = storage[RendererKey.self] else { fatalError("configure(_:) has not run") }
            return try holder.engine()
        }
    }
}

/// Something with threads of its own that must be stopped before it is dropped.
protocol ImagingEngine: Sendable {
    func shutdown() async throws
}

extension PhotoInspector: ImagingEngine {}
extension StudioRenderer: ImagingEngine {}

/// Creates an engine once, even when several requests ask for it at the same time, and stops its
/// threads when the application shuts down.
final class EngineHolder<Engine: ImagingEngine>: LifecycleHandler, Sendable {
    private let make: @Sendable () throws -> Engine
    private let box = NIOLockedValueBox<Engine?>(nil)

    init(_ make: @escaping @Sendable () throws -> Engine) {
        self.make = make
    }

    func engine() throws -> Engine {
        try box.withLockedValue { current in
            if let current { return current }
            let created = try make()
            current = created
            return created
        }
    }

    func shutdownAsync(_ app: Application) async {
        let engine = box.withLockedValue { current in
            defer { current = nil }
            return current
        }
        do { try await engine?.shutdown() } catch { app.logger.warning("\(Engine.self) did not stop cleanly: \(error)") }
    }
}
