import Foundation
import Imaging
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// The process's one imaging engine, made once. `serve` and `worker` load it at boot, and readiness
/// waits for it; tests and commands that never check a photo never load it. The models are loaded
/// on a thread pool, never on an event loop, and concurrent callers wait for the one load.
package final class ImagingService: Sendable {
    private let files: FaceModelFiles
    private let threads: Int
    private let loading = NIOLockedValueBox<Task<ImagingEngine, any Error>?>(nil)
    private let warm = NIOLockedValueBox(false)
    private let wantedAtBoot = NIOLockedValueBox(false)

    package init(models files: FaceModelFiles, threads: Int) {
        self.files = files
        self.threads = threads
    }

    /// The engine, loading it first if nothing has yet.
    package func engine() async throws -> ImagingEngine {
        let task = loading.withLockedValue { current in
            if let current { return current }
            let (files, threads) = (self.files, self.threads)
            let task = Task {
                // A thread of its own for the seconds the models take: never an event loop, and never the
                // application's small blocking pool, which SQLite and file writes wait on.
                let loader = NIOThreadPool(numberOfThreads: 1)
                loader.start()
                defer { loader.shutdownGracefully { _ in } }
                return try await loader.runIfActive { try ImagingEngine(models: files, threads: threads) }
            }
            current = task
            return task
        }
        return try await task.value
    }

    /// Starts loading now (at boot); `isReady` reports when it is done.
    package func preload(logger: Logger) {
        wantedAtBoot.withLockedValue { $0 = true }
        Task { [warm] in
            do {
                let engine = try await engine()
                try await engine.warmUp()
                warm.withLockedValue { $0 = true }
                logger.info("imaging engine ready (\(engine.threadCount) threads)")
            } catch {
                logger.error("imaging engine could not load: \(error)")
            }
        }
    }

    /// For readiness: nil when the process does not load the engine at boot, else whether it is loaded and warm.
    package var isReady: Bool? {
        guard wantedAtBoot.withLockedValue({ $0 }) else { return nil }
        return warm.withLockedValue { $0 }
    }

    /// Stops the engine's threads (with the application), waiting for a load in progress first.
    package func shutdown(logger: Logger) async {
        guard let task = loading.withLockedValue({ $0 }), let engine = try? await task.value else { return }
        do { try await engine.shutdown() } catch { logger.warning("imaging engine did not stop cleanly: \(error)") }
    }
}
