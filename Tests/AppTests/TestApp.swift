import BlobStorage
import Fluent
import Foundation
import Glibc
import Imaging
import Mail
import NIOConcurrencyHelpers
import Testing
import VaporTesting
@testable import App

/// Which database the suite runs on: `make test` runs it once with TEST_DATABASE=sqlite and once with postgres.
enum TestDatabase {
    static var postgresAdminURL: String? {
        let env = ProcessInfo.processInfo.environment
        return env["TEST_DATABASE"] == "postgres" ? env["TEST_POSTGRES_URL"] : nil
    }

    /// Whether this is the pass that runs the studio generator's own suite (its renders checked picture by
    /// picture): the SQLite pass. What it stores goes through the queue, asset and order code that the
    /// PostgreSQL pass covers with the packages at full size (`StudioPackageTests`, both passes), the probe
    /// generator, the remote generator and the killed-worker suites.
    static var rendersStudioOrders: Bool { ProcessInfo.processInfo.environment["TEST_DATABASE"] != "postgres" }

    /// A fresh database for one test: a temp SQLite file, or a new database in the throwaway cluster.
    static func make() throws -> (AppConfig.Database, cleanup: () -> Void) {
        let name = "hs_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if let admin = postgresAdminURL {
            try run("psql", [admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
            var components = URLComponents(string: admin)!
            components.path = "/\(name)"
            return (.postgres(url: components.string!), {})
        }
        let path = NSTemporaryDirectory() + "\(name).sqlite"
        return (.sqlite(path: path), {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        })
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try Shell.run(tool, arguments)
        guard result.status == 0 else { throw TestFailure("\(tool) exited with \(result.status)") }
    }
}

/// Runs command-line tools (psql, unzip) found on PATH and captures what they print.
enum Shell {
    struct Run {
        let status: Int32
        let data: Data
        var output: String { String(decoding: data, as: UTF8.self) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, data: data)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

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
        try await configure(app, services: try AppServices.build(config, for: app, overrides: replacements))
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
        try await configure(app, services: try AppServices.build(config, for: app))
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

/// The services a test app was configured with, under the names the tests use.
extension Application {
    var testServices: AppServices {
        guard let services else { preconditionFailure("withTestApp configures the app before running a test") }
        return services
    }
    var config: AppConfig { testServices.config }
    var clock: any WallClock { testServices.clock }
    var blobStore: any BlobStore { testServices.blobStore }
    var mailQueue: MailQueue { testServices.mail }
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

/// Polls until `condition` holds, for up to `seconds` (work that another task or process finishes).
func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
