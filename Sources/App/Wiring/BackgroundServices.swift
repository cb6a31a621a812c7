import Fluent
import HeadshotCore
import NIOConcurrencyHelpers
import ServiceLifecycle
import Vapor

/// The work a process runs besides serving pages, as swift-service-lifecycle services in one
/// `ServiceGroup`: the queue worker (when a generator is configured), maintenance, the mail outbox's
/// sender, and the sandbox's webhook deliveries. `serve` runs the group beside the web server; `worker` runs it alone. On
/// shutdown the group shuts down gracefully: the worker stops claiming and hands its job back, the
/// schedulers finish their round. Every service is safe to run in many processes at once.
final class BackgroundServices: LifecycleHandler, Sendable {
    static let maintenanceInterval: Duration = .seconds(300)
    static let sandboxWebhookInterval: Duration = .seconds(3)
    static let mailInterval: Duration = .seconds(5)

    let services: AppServices
    private let running = NIOLockedValueBox<(group: ServiceGroup, task: Task<Void, Never>)?>(nil)

    init(services: AppServices) {
        self.services = services
    }

    /// The services of the group, in the order they start.
    static func list(_ services: AppServices, logger: Logger) -> [any Service] {
        var list: [any Service] = [
            PeriodicService(name: "maintenance", interval: maintenanceInterval, logger: logger) {
                let db = try services.database()
                try await Maintenance.run(on: db, at: services.clock.now())
                try await DraftCleanup(db: db, store: services.blobStore).run(at: services.clock.now())
                // Refunds approved but not yet paid back (the gateway was down): carried through.
                try await Refunds(db: db, gateway: services.payments, actor: .system(), now: services.clock.now(),
                                  lock: services.sqliteWriteLock, mail: services.mail, baseURL: services.config.baseURL,
                                  remote: services.remote, store: services.blobStore).finishApproved(logger: logger)
            },
        ]
        // The retention promise: selfies and headshots deleted when their time is up.
        list.append(PeriodicService(name: "retention", interval: Retention.interval, logger: logger) {
            let outcome = try await Retention(db: try services.database(), store: services.blobStore, policy: services.config.retention)
                .run(at: services.clock.now())
            if outcome != Retention.Outcome() { logger.info("retention deleted \(outcome.selfies) selfies and \(outcome.headshots) headshots") }
        })
        // Deletion requests, carried out under a lease like the queue's jobs, within the promised minute.
        list.append(PeriodicService(name: "deletions", interval: DeletionWorker.interval, logger: logger) {
            try await DeletionWorker(services: services, logger: logger).runDue()
        })
        // "Download my data": ZIPs prepared in the background, then emailed.
        list.append(PeriodicService(name: "data exports", interval: DataExportWorker.interval, logger: logger) {
            try await DataExportWorker(services: services, logger: logger).runDue()
        })
        // The daily remnant scan: counts files that should not be there (storage_orphans), deletes nothing.
        list.append(PeriodicService(name: "storage audit", interval: StorageAudit.interval, logger: logger) {
            let report = try await StorageAudit(db: try services.database(), store: services.blobStore).run()
            services.metrics.setStorageOrphans(report.orphans.count)
            if !report.orphans.isEmpty || !report.missing.isEmpty {
                logger.warning("storage audit: \(report.orphans.count) orphaned blobs, \(report.missing.count) rows with a missing blob (run headshot audit-storage)")
            }
        })
        // Mail that could not go out at once (relay down, a crash between queueing and sending), retried.
        list.append(PeriodicService(name: "mail", interval: mailInterval, logger: logger) {
            try await services.mail.deliverDue()
        })
        if services.payments is SandboxGateway {
            // The sandbox's webhook retries, every few seconds like a provider's.
            list.append(PeriodicService(name: "sandbox webhooks", interval: sandboxWebhookInterval, logger: logger) {
                try await services.deliverSandboxWebhooks()
            })
        }
        if let generator = services.generator {
            list.append(QueueWorker(services: services, generator: generator, logger: logger))
        } else {
            logger.warning("no generator is configured: paid orders stay queued until one is")
        }
        return list
    }

    /// Starts the group beside the web server (`serve`); it is stopped gracefully when the application shuts down.
    func start(logger: Logger) {
        let group = ServiceGroup(services: Self.list(services, logger: logger), logger: logger)
        let task = Task {
            do { try await group.run() } catch { logger.error("background services stopped: \(error)") }
        }
        running.withLockedValue { $0 = (group, task) }
        logger.info("background services started")
    }

    func shutdownAsync(_ app: Application) async {
        if let (group, task) = running.withLockedValue({ current in defer { current = nil }; return current }) {
            await group.triggerGracefulShutdown()
            await task.value
        }
        await services.mail.finishDeliveries()
    }
}

/// Runs `work` every `interval` until graceful shutdown; a failed round is logged and the next one
/// comes as planned.
struct PeriodicService: Service, CustomStringConvertible {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    var description: String { name }

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do { try await work() } catch { logger.error("\(name) failed: \(error)") }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
