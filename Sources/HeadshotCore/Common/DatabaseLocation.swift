import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import SQLKit

/// Where the data lives: a SQLite file (the embedded default) or a PostgreSQL server (scale-out).
package enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Registers it as the default database of `databases` (making a SQLite file's folder first).
    package func register(on databases: Databases, poolSize: Int) throws {
        switch self {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            // One connection per event loop, and SQLite writes one transaction at a time: under a burst (an
            // order's deliveries, its heartbeat and page views at once on a busy machine) a request may wait
            // longer than the driver's 10 s for its turn, which would fail a job attempt that only had to wait.
            databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(60)), as: .sqlite)
        case .postgres(let url):
            try databases.use(.postgres(url: url, maxConnectionsPerEventLoop: poolSize), as: .psql)
        }
    }
}

extension DatabaseLocation {
    /// Whether the database answers a trivial query (readiness).
    package static func answers(_ db: any Database) async -> Result<Void, any Error> {
        do {
            _ = try await db.sql().select().column(SQLLiteral.numeric("1")).all()
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}

extension AllMigrations {
    /// The migrations, registered in their order.
    package static var registered: Migrations {
        let migrations = Migrations()
        migrations.add(list)
        return migrations
    }

    /// Brings the default database of `databases` up to date (what `headshot serve` does at boot).
    package static func migrate(_ databases: Databases, logger: Logger, on eventLoop: any EventLoop) async throws {
        let migrator = Migrator(databases: databases, migrations: registered, logger: logger, on: eventLoop)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }
}
