import BlobStorage
import Fluent
import Foundation
import Glibc
import Imaging
import Mail
import NIOConcurrencyHelpers
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// What every test app of this process shares or lowers, unless a test puts the real one back in its
/// `services` closure: one imaging engine (its models load once, not in each of a hundred apps, and
/// its two threads are not multiplied by them), and bcrypt at its lowest cost (at cost 12 a debug
/// build spends about a second a hash: a third of the suite's CPU went to it).
enum TestServices {
    static let bcryptCost = 4
    private static let engines = NIOLockedValueBox<[String: ImagingService]>([:])

    static func imaging(models: String) -> ImagingService {
        engines.withLockedValue { known in
            if let engine = known[models] { return engine }
            let engine = ImagingService(models: FaceModelFiles(directory: models), threads: System.coreCount)
            known[models] = engine
            return engine
        }
    }
}

/// Builds a fully configured, migrated app on a fresh database with a manual clock, runs `body`, then tears down.
/// `services` puts fakes in place of what the configuration would build, before `configure` runs.
func withTestApp(
    environment: Environment = .testing,
    customize: (inout AppConfig) -> Void = { _ in },
    services overrides: (inout AppServices.Overrides, Application) -> Void = { _, _ in },
    _ body: (Application, ManualClock) async throws -> Void
) async throws {
    let app = try await Application.make(environment)
    // A blocking pool of the app's own (Vapor starts and stops it): SQLite's calls run on it, and
    // sqlite-nio's busy handler retries without sleeping, so two test apps each with a writer waiting
    // on the shared two-thread singleton pool would leave no thread for the transactions they wait on.
    app.threadPool = NIOThreadPool(numberOfThreads: 2)
    let clock = ManualClock()
    let dataDirectory = NSTemporaryDirectory() + "headshot-test-\(UUID().uuidString)"
    // psql runs on a thread of its own, not on one of the two cooperative threads the servers need.
    let (database, cleanup) = try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try TestDatabase.make() }) }
    }
    var config = AppConfig(
        environment: environment, dataDirectory: dataDirectory, database: database,
        baseURL: URL(string: "http://localhost:8080")!, secretKey: SymmetricKeyBytes([UInt8](repeating: 7, count: 32)),
        mail: .outbox, mailFrom: "Headshot Studio <no-reply@example.com>", proxyHops: 1, runWorkers: false
    )
    customize(&config)
    do {
        var replacements = AppServices.Overrides()
        replacements.clock = clock
        replacements.bcryptCost = TestServices.bcryptCost
        replacements.imaging = TestServices.imaging(models: config.modelsDirectory)
        overrides(&replacements, app)
        try await configure(app, services: app.remember(try AppServices.build(config, for: app, overrides: replacements)))
        try await app.autoMigrate()
        try await body(app, clock)
        await app.mailQueue.drain()
    } catch {
        await app.mailQueue.drain()
        try? await app.asyncShutdown()
        cleanup()
        throw error
    }
    try await app.asyncShutdown()
    cleanup()
    try? FileManager.default.removeItem(atPath: dataDirectory)
}

/// An app opened on a running deployment's database and storage, configured from the environment as
/// `headshot` reads it (scripts/scaleout.sh exports the topology's), serving nothing and running nothing
/// in the background: for tests that check behind a deployment's pages what it did.
func withDeploymentApp(_ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    var config = try AppConfig.load(environment: .testing)
    config.runWorkers = false
    config.dataDirectory = NSTemporaryDirectory() + "headshot-observer-\(UUID().uuidString)"
    do {
        try await configure(app, services: app.remember(try AppServices.build(config, for: app)))
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: config.dataDirectory)
}

/// A test app whose BASE_URL is the address its server will listen on (a free loopback port), so
/// links in its pages, redirects and emails lead back to it: for tests that drive it from outside.
func withServedTestApp(
    customize: (inout AppConfig) -> Void = { _ in },
    services overrides: (inout AppServices.Overrides, Application) -> Void = { _, _ in },
    _ body: (_ app: Application, _ clock: ManualClock, _ site: String, _ port: Int) async throws -> Void
) async throws {
    let port = try freeLoopbackPort()
    let site = "http://127.0.0.1:\(port)"
    try await withTestApp(customize: { $0.baseURL = URL(string: site)!; customize(&$0) }, services: overrides) { app, clock in
        try await body(app, clock, site, port)
    }
}

/// A whole test app is a world the shared fixtures work in.
extension Application: TestWorld {
    package var passwords: any PasswordHashingPort { testServices.passwordHashing }
}

/// The services a test app was configured with, under the names the tests use.
extension Application {
    private struct TestServicesKey: StorageKey { typealias Value = AppServices }

    /// Keeps the services a test app is configured with (the app itself never reads them back).
    func remember(_ services: AppServices) -> AppServices {
        storage[TestServicesKey.self] = services
        return services
    }

    var testServices: AppServices {
        guard let services = storage[TestServicesKey.self] else { preconditionFailure("withTestApp configures the app before running a test") }
        return services
    }
    var config: AppConfig { testServices.config }
    package var clock: any WallClock { testServices.clock }
    var blobStore: any BlobStore { testServices.blobStore }
    package var mailQueue: MailQueue { testServices.mail }
    var appMetrics: AppMetrics { testServices.metrics }
    var passwordHashing: PasswordHashing { testServices.passwordHashing }
    var generator: (any Generator)? { testServices.generator }
    var sandboxWebhookSecret: String { AppServices.sandboxWebhookSecret(testServices.secrets) }
    var photoInspector: PhotoInspector { get async throws { try await testServices.imaging.engine().inspector } }
    var studioRenderer: StudioRenderer { get async throws { try await testServices.imaging.engine().renderer } }

    @discardableResult
    func deliverSandboxWebhooks() async throws -> Int { try await testServices.deliverSandboxWebhooks() }
}

extension QueueWorker {
    /// A worker on the test app's services, driven by the test one job at a time (`runOnce`).
    convenience init(app: Application, generator: any Generator) {
        self.init(services: app.testServices, generator: generator, logger: app.logger)
    }
}

/// A loopback port that is free right now (the kernel picks it), for tests that need a real socket.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
