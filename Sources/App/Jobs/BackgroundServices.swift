import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The periodic work a process runs besides serving pages: started by `serve` (when the configuration
/// says so) and by `worker`, stopped cleanly on shutdown. Every task is safe to run in many processes at once.
final class BackgroundServices: LifecycleHandler, Sendable {
    static let maintenanceInterval: Duration = .seconds(300)
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    func didBootAsync(_ app: Application) async throws {
        if app.config.runWorkers { start(app) }
    }

    func shutdownAsync(_ app: Application) async {
        await stop()
        await app.mailQueue.drain()
    }

    func start(_ app: Application) {
        let logger = app.logger
        let task = Task { [unowned app] in
            while !Task.isCancelled {
                do {
                    try await Maintenance.run(on: app.db, at: app.clock.now())
                    try await DraftCleanup(db: app.db, store: app.blobStore).run(at: app.clock.now())
                } catch {
                    logger.error("maintenance failed: \(error)")
                }
                try? await Task.sleep(for: Self.maintenanceInterval)
            }
        }
        tasks.withLockedValue { $0.append(task) }
        if app.paymentGateway is SandboxGateway {
            // The sandbox's webhook retries, every few seconds like a provider's.
            let webhooks = Task { [unowned app] in
                while !Task.isCancelled {
                    do { try await app.deliverSandboxWebhooks() } catch { logger.warning("sandbox webhooks: \(error)") }
                    try? await Task.sleep(for: .seconds(3))
                }
            }
            tasks.withLockedValue { $0.append(webhooks) }
        }
        if let generator = app.generator {
            let worker = QueueWorker(app: app, generator: generator)
            tasks.withLockedValue { $0.append(Task { await worker.run() }) }
        } else {
            logger.warning("no generator is configured: paid orders stay queued until one is")
        }
        logger.info("background services started")
    }

    func stop() async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
