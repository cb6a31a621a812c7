import FluentKit
import Foundation
import Logging
import NIOCore

/// What every domain service may use: the database, the clock, SQLite's write lock, the mail queue,
/// the site's address and the log. A service takes this plus the named ports it needs (payments,
/// storage, password hashing, imaging), never the application's whole set of services; the edge
/// (`App/Wiring`) builds it once.
package struct DomainContext: Sendable {
    package let database: DatabaseProvider
    package let clock: any WallClock
    /// SQLite's write lock, held in this process: the transactions that read and then write under a
    /// row lock on PostgreSQL (fulfilment, refunds, re-runs, team seats) take it on SQLite, which has no
    /// row locks and answers a second writer "database is locked" (see `AsyncMutex`); nil on PostgreSQL.
    package let sqliteWriteLock: AsyncMutex?
    /// The durable mail outbox.
    package let mail: MailQueue
    /// The site's public address, for links in mail and redirects (`SiteURL.absolute(on:)`).
    package let baseURL: URL
    /// Where messages for support go.
    package let supportEmail: String
    package let logger: Logger

    package init(database: DatabaseProvider, clock: any WallClock, sqliteWriteLock: AsyncMutex?, mail: MailQueue,
                 baseURL: URL, supportEmail: String, logger: Logger) {
        self.database = database
        self.clock = clock
        self.sqliteWriteLock = sqliteWriteLock
        self.mail = mail
        self.baseURL = baseURL
        self.supportEmail = supportEmail
        self.logger = logger
    }

    package var now: Date { clock.now() }
}

/// Reaches the application's database from outside a request (workers, schedulers, mailers): a
/// connection on any event loop, from the pools the application registered.
package struct DatabaseProvider: Sendable {
    let databases: Databases
    let eventLoops: any EventLoopGroup
    let logger: Logger

    package init(databases: Databases, eventLoops: any EventLoopGroup, logger: Logger) {
        self.databases = databases
        self.eventLoops = eventLoops
        self.logger = logger
    }

    /// A connection to the default database; throws once the application has shut its databases down
    /// (work still finishing then fails like any other database error instead of crashing the process).
    package func callAsFunction() throws -> any Database {
        guard let database = databases.database(logger: logger, on: eventLoops.any()) else { throw DatabaseUnavailable() }
        return database
    }
}

/// The database is not (or no longer) registered: the application is starting up or has shut down.
package struct DatabaseUnavailable: Error, CustomStringConvertible {
    package var description: String { "the database is not available (the application is not running)" }
}
