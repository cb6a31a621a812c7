import Imaging
import NIOConcurrencyHelpers
import Vapor

extension Application {
    private struct InspectorKey: StorageKey { typealias Value = InspectorHolder }

    /// Registers the quality gate; called once from `configure`.
    func useInspector() {
        let holder = InspectorHolder(directory: config.modelsDirectory)
        storage[InspectorKey.self] = holder
        lifecycle.use(holder)
    }

    /// The photo quality gate. Its models (~300 MB) load on first use, or at boot for commands that
    /// check photos; it is shut down with the application.
    public var photoInspector: PhotoInspector {
        get throws {
            guard let holder = storage[InspectorKey.self] else { fatalError("configure(_:) has not run") }
            return try holder.inspector()
        }
    }
}

/// Creates the inspector once, even when several requests ask for it at the same time, and stops
/// its threads when the application shuts down.
final class InspectorHolder: LifecycleHandler, Sendable {
    private let directory: String
    private let box = NIOLockedValueBox<PhotoInspector?>(nil)

    init(directory: String) {
        self.directory = directory
    }

    func inspector() throws -> PhotoInspector {
        try box.withLockedValue { current in
            if let current { return current }
            let created = try PhotoInspector(models: FaceModelFiles(directory: directory), threads: System.coreCount)
            current = created
            return created
        }
    }

    func shutdownAsync(_ app: Application) async {
        let inspector = box.withLockedValue { current in
            defer { current = nil }
            return current
        }
        do { try await inspector?.shutdown() } catch { app.logger.warning("photo inspector did not stop cleanly: \(error)") }
    }
}
