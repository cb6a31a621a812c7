import BlobStorage
import Crypto
import FluentKit
import Foundation
import HeadshotCore
import Logging
import NIOCore
import NIOPosix

/// The core's world for one test, with no web server: a fresh, migrated database (a SQLite file, or a
/// new database in the PostgreSQL test cluster), a manual clock, encrypted local storage behind the
/// legal-hold guard, and the mail queue (delivering nothing, as the outbox transport does).
package final class CoreTestApp: TestWorld {
    package let databases: Databases
    package let manualClock: ManualClock
    package let blobStore: any BlobStore
    package let mailQueue: MailQueue
    package let context: DomainContext
    package let passwords: any PasswordHashingPort
    package let logger: Logger
    package let dataDirectory: String
    package let appMetrics = AppMetrics()
    /// The settings the core's services are handed, at their defaults.
    package let config = Settings()
    private let threadPool: NIOThreadPool
    let location: DatabaseLocation

    package var database: DatabaseProvider { context.database }
    package var db: any Database { try! database() }
    package var clock: any WallClock { manualClock }

    init(location: DatabaseLocation, dataDirectory: String) throws {
        self.location = location
        self.dataDirectory = dataDirectory
        logger = Logger(label: "core-test")
        // Two threads of its own: SQLite's calls run on it (see `withTestApp`).
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let group = MultiThreadedEventLoopGroup.singleton
        databases = Databases(threadPool: threadPool, on: group)
        try location.register(on: databases, poolSize: 2)
        manualClock = ManualClock()
        let provider = DatabaseProvider(databases: databases, eventLoops: group, logger: logger)
        let secrets = Secrets(SymmetricKeyBytes([UInt8](repeating: 7, count: 32)))
        let local = try LocalBlobStore(root: dataDirectory + "/blobs", keyring: dataDirectory + "/blob-keys",
                                       masterKeys: secrets.keys(for: "blob-master-key"), threadPool: threadPool)
        blobStore = GuardedBlobStore(local, database: provider)
        mailQueue = MailQueue(database: provider, mailer: DevMailer(), sender: "Headshot Studio <no-reply@example.com>", clock: manualClock, logger: logger)
        let writeLock: AsyncMutex? = if case .sqlite = location { AsyncMutex() } else { nil }
        context = DomainContext(database: provider, clock: manualClock, sqliteWriteLock: writeLock, mail: mailQueue,
                                baseURL: URL(string: "http://localhost:8080")!, supportEmail: "support@example.com", logger: logger)
        passwords = DigestPasswords()
    }

    func shutdown() async {
        await mailQueue.drain()
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }

    /// Brings the database up to date, as `headshot serve` does at boot.
    package func autoMigrate() async throws {
        try await AllMigrations.migrate(databases, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
    }

    /// Takes every migration back, newest first.
    package func autoRevert() async throws {
        let migrator = Migrator(databases: databases, migrations: AllMigrations.registered, logger: logger,
                                on: MultiThreadedEventLoopGroup.singleton.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.revertAllBatches().get()
    }
}

extension CoreTestApp {
    /// What a deployment configures that the core's services read, at the defaults `AppConfig` has.
    package struct Settings: Sendable {
        package var retention = RetentionPolicy()
        package var queueLease: TimeInterval = 60
    }
}

extension QueueWorker {
    /// A worker on the core world's services, driven by the test one job at a time (`runOnce`).
    package convenience init(app: CoreTestApp, generator: any Generator) {
        self.init(context: app.context, store: app.blobStore, metrics: app.appMetrics, retention: app.config.retention,
                  queueLease: app.config.queueLease, generator: generator, logger: app.logger)
    }
}

/// Runs `body` in a fresh core world (`CoreTestApp`) and tears it down: the domain's suites need no web server.
package func withCoreTestApp(_ body: (CoreTestApp, ManualClock) async throws -> Void) async throws {
    let (location, cleanup) = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try TestDatabase.make() }) }
    }
    let dataDirectory = NSTemporaryDirectory() + "headshot-core-test-\(UUID().uuidString)"
    let app: CoreTestApp
    do { app = try CoreTestApp(location: location, dataDirectory: dataDirectory) } catch { cleanup(); throw error }
    do {
        try await app.autoMigrate()
        try await body(app, app.manualClock)
    } catch {
        await app.shutdown()
        cleanup()
        throw error
    }
    await app.shutdown()
    cleanup()
    try? FileManager.default.removeItem(atPath: dataDirectory)
}

/// Passwords for the core's tests: a salted SHA-256, because bcrypt is the web edge's (`PasswordHashing`,
/// whose cost `SignUpTests` checks) and the domain's suites only need a hash that verifies.
struct DigestPasswords: PasswordHashingPort {
    func hash(_ password: String) async throws -> String {
        let salt = UUID().uuidString
        return salt + "$" + Self.digest(salt + password)
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        let parts = hash.split(separator: "$", maxSplits: 1).map(String.init)
        return parts.count == 2 && Self.digest(parts[0] + password) == parts[1]
    }

    func burnVerification() async {}

    private static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
