import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import HeadshotCore
import Vapor

/// Builds the services the configuration names and wires the application with them.
package func configure(_ app: Application, config: AppConfig) async throws {
    try await configure(app, services: try AppServices.build(config, for: app))
}

/// Wires the application from services built once (`AppServices.build`); tests build theirs with
/// fakes first. Every controller, middleware, command and background service is handed what it uses.
package func configure(_ app: Application, services: AppServices) async throws {
    let config = services.config
    WireNames.install()

    try config.database.register(on: app.databases, poolSize: config.databasePoolSize)
    app.migrations.add(AllMigrations.list)

    // Forms and JSON are small; routes that take uploads raise their own limit.
    app.routes.defaultMaxBodySize = "64kb"
    app.routes.caseInsensitive = false

    app.middleware = Middlewares()
    app.middleware.use(InFlightMiddleware(requests: services.inFlight))
    app.middleware.use(RequestIDMiddleware(proxyHops: config.proxyHops))
    app.middleware.use(AccessLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(https: config.isHTTPS))
    app.middleware.use(MetricsMiddleware(metrics: services.metrics))
    app.middleware.use(CSRFTokenMiddleware(signer: CSRF.Signer(services: services)))
    if config.isDemo { app.middleware.use(DemoInstallMiddleware()) }
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware(routes: app.routes))
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(SessionAuthenticator(services: services))

    // Shut down in reverse: running request handlers finish, then the background services stop (and hand
    // jobs back), then the imaging engine, then (registered first, by `databases.use`) Fluent's databases.
    if services.ownsImaging { app.lifecycle.use(ImagingShutdown(imaging: services.imaging)) }
    let background = BackgroundServices(services: services)
    app.lifecycle.use(background)
    // Runs first on shutdown (after `serve`'s HTTPDrain): handlers still running finish before the rest stops.
    app.lifecycle.use(InFlightDrain(requests: services.inFlight))
    app.asyncCommands.use(HeadshotServeCommand(services: services, background: background), as: "serve", isDefault: true)
    app.asyncCommands.use(WorkerCommand(services: services), as: "worker")
    app.asyncCommands.use(CheckCommand(services: services), as: "check")
    app.asyncCommands.use(CreateAdminCommand(services: services), as: "create-admin")
    app.asyncCommands.use(RotateKeysCommand(services: services), as: "rotate-keys")
    app.asyncCommands.use(AuditStorageCommand(services: services), as: "audit-storage")
    app.asyncCommands.use(HoldCommand(services: services), as: "hold")

    try routes(app, services: services)
}
