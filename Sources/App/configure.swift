import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Wires the application from its configuration. Tests pass their own `AppConfig` and then swap
/// `app.clock` or `app.mailer`; the executable passes the one read from the environment.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config

    switch config.database {
    case .sqlite(let path):
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        try app.databases.use(.postgres(url: url, maxConnectionsPerEventLoop: config.databasePoolSize), as: .psql)
    }
    app.migrations.add(AllMigrations.list)

    switch config.mail {
    case .outbox:
        app.mailer = OutboxMailer(database: { [unowned app] in app.db }, clock: app.clock)
    case .smtp(let settings):
        app.mailer = SMTPMailer(settings: settings, group: app.eventLoopGroup)
    }

    // Forms and JSON are small; routes that take uploads raise their own limit.
    app.routes.defaultMaxBodySize = "64kb"
    app.routes.caseInsensitive = false

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware(https: config.isHTTPS))
    app.middleware.use(MetricsMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(SessionAuthenticator())

    app.useImaging()
    try app.useConfiguredBlobStore()
    app.usePayments()
    switch config.generator {
    case .studio:
        app.generator = StudioGenerator(renderer: { [unowned app] in try app.studioRenderer },
                                        database: { [unowned app] in app.db }, store: { [unowned app] in app.blobStore })
    case .none: app.generator = nil
    case .probe(let milliseconds): app.generator = ProbeGenerator(perHeadshot: .milliseconds(milliseconds))
    }

    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(CheckCommand(), as: "check")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.lifecycle.use(BackgroundServices())

    try routes(app)
}
