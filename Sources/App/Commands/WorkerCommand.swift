import HeadshotCore
import ServiceLifecycle
import Vapor

/// `headshot worker`: background work only, no web server, for extra machines of a scaled-out
/// deployment (PostgreSQL and shared storage). SIGTERM or SIGINT shut its services down gracefully.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    let services: AppServices

    var help: String { "Runs background workers and schedulers without the web server, until SIGTERM or SIGINT." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let logger = context.application.logger
        try services.config.requireFaceModels()
        if case .sqlite = services.config.database {
            logger.warning("worker is running on the embedded SQLite database; extra workers need DATABASE_URL=postgres://… to share work across machines")
        }
        if services.generator != nil { services.imaging.preload(logger: logger) }
        let group = ServiceGroup(services: BackgroundServices.list(services, logger: logger),
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        await services.mail.finishDeliveries()
        context.console.print("worker stopped")
    }
}

/// `headshot serve` (the default): migrates the database, loads the imaging engine (readiness waits
/// for it), starts the background services and then Vapor's web server. Both stop on SIGTERM or SIGINT.
struct HeadshotServeCommand: AsyncCommand {
    typealias Signature = Vapor.ServeCommand.Signature

    let services: AppServices
    let background: BackgroundServices

    var help: String { "Migrates the database, then serves the app over HTTP with its background services." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try services.config.requireFaceModels()
        try await app.autoMigrate()
        // What a killed predecessor was still receiving when it died is of no use to anyone.
        let spool = UploadSpool.directory(dataDirectory: services.config.dataDirectory)
        let swept = try await services.fileThreads.runIfActive { UploadSpool.sweep(directory: spool) }
        if swept > 0 { app.logger.notice("removed \(swept) half-received upload files a stopped process left in \(spool)") }
        services.imaging.preload(logger: app.logger)
        if services.config.runWorkers { background.start(logger: app.logger) }
        // Registered last, so it runs first on shutdown: before the background services, the imaging
        // engine and Fluent's databases (registered earlier) are shut down.
        app.lifecycle.use(HTTPDrain())
        try await app.servers.asyncCommand.run(using: context, signature: signature)
    }
}

/// On SIGTERM the web server stops accepting and lets the requests in flight finish (Vapor's
/// shutdown timeout, 10 s) before anything they use goes away. Vapor itself closes the server only
/// after every lifecycle handler, Fluent's included, has run, so a download still streaming when the
/// databases shut down would find none. (Handlers whose clients already hung up are waited for by
/// `InFlightDrain`, next.)
struct HTTPDrain: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        application.logger.info("stopping the web server: finishing the requests in flight")
        await application.server.shutdown()
    }
}
