import AsyncHTTPClient
import BlobStorage
import Fluent
import Foundation
import HeadshotCore
import Imaging
import Mail
import NIOConcurrencyHelpers
import NIOSSL
import SiteRoutes
import Vapor

/// Everything with a side effect that the application depends on, built once from `AppConfig` by
/// `AppServices.build` and handed explicitly to the controllers, middleware, commands and background
/// services that use it. Nothing reads another service through `Application`; tests build it with
/// their fakes (`Overrides`) before `configure`.
package struct AppServices: Sendable {
    package let config: AppConfig
    package let clock: any WallClock
    package let secrets: Secrets
    package let database: DatabaseProvider
    /// Blocking file work (uploads to disk, readiness probes) off the event loops.
    package let fileThreads: NIOThreadPool
    package let passwordHashing: PasswordHashing
    package let mailer: any Mailer
    /// The durable outbox: mail is queued in the database and sent through `mailer`, with retries.
    package let mail: MailQueue
    package let blobStore: any BlobStore
    package let payments: any PaymentGateway
    /// How the sandbox delivers its webhooks (HTTP to BASE_URL; tests deliver in memory).
    package let webhookTransport: any WebhookTransport
    /// What makes the headshots; with none, paid orders wait in the queue.
    package let generator: (any Generator)?
    /// The one imaging engine of the process (quality gate, studio renderer, crops).
    package let imaging: ImagingService
    /// Whether the application stops the engine on shutdown: not when it was handed one that other
    /// applications of the process share (`Overrides.imaging`).
    var ownsImaging = true
    package let metrics: AppMetrics
    package let logger: Logger
    package let downloadLinks: DownloadLinks
    /// The predictions provider when `GENERATOR=remote` (refunds and deletions cancel its open predictions).
    let remote: RemoteProvider?
    /// SQLite's write lock, held in this process: the transactions that read and then write under
    /// a row lock on PostgreSQL (fulfilment, refunds, re-runs, team seats) take it on SQLite, which
    /// has no row locks and answers a second writer "database is locked" (see `AsyncMutex`); nil on PostgreSQL.
    let sqliteWriteLock: AsyncMutex?
    /// The database, clock, write lock, mail queue, site address and log every domain service shares.
    package let domain: DomainContext
    /// Storage, imaging, threads, retention and spool directory, for the photo flow.
    package let uploads: UploadPorts
    /// The request handlers running now, which shutdown waits for.
    let inFlight = InFlightRequests()
    /// Each person's share of the upload spool on this process (`UploadAdmission`).
    package let uploadAdmission = UploadAdmission()
    /// The galleries this process built lately, validated against the database on every use.
    let galleries = GalleryCache()

    /// Replacements a test puts in place of what the configuration would build.
    package struct Overrides: Sendable {
        package var clock: (any WallClock)?
        package var mailer: (any Mailer)?
        package var webhookTransport: (any WebhookTransport)?
        /// bcrypt's cost: 12 unless a test lowers it (a debug build hashes at cost 12 in about a second,
        /// and a third of the suite's CPU went to it).
        package var bcryptCost: Int?
        /// The process's imaging engine, shared by the test apps of one test process.
        package var imaging: ImagingService?
        package init() {}
    }

    /// Builds every service the configuration names, in dependency order. Throws `ConfigError` or a
    /// storage error when a service cannot be set up.
    package static func build(_ config: AppConfig, for app: Application, overrides: Overrides = Overrides()) throws -> AppServices {
        let clock = overrides.clock ?? SystemClock()
        let secrets = Secrets(config.secretKey, previous: config.previousSecretKeys)
        let database = DatabaseProvider(databases: app.databases, eventLoops: app.eventLoopGroup, logger: app.logger)
        let http = OutgoingHTTP.client(trusting: config.outgoingCAFile, app: app)
        let mailer: any Mailer = overrides.mailer ?? {
            switch config.mail {
            case .outbox: DevMailer()
            case .smtp(let settings): SMTPMailer(settings: settings, group: app.eventLoopGroup)
            }
        }()
        let configuredStore: any BlobStore = switch config.storage {
        case .local:
            try LocalBlobStore(root: config.dataDirectory + "/blobs", keyring: config.dataDirectory + "/blob-keys",
                               masterKeys: secrets.keys(for: "blob-master-key"), threadPool: app.threadPool)
        case .s3(let settings):
            S3BlobStore(settings: settings, client: http,
                        keys: DataKeys(ring: DatabaseKeyRing(database: database), masterKeys: secrets.keys(for: "blob-master-key")))
        }
        // Holds and tombstones guard every path that destroys or writes an order's data.
        let blobStore: any BlobStore = GuardedBlobStore(configuredStore, database: database)
        let payments: any PaymentGateway = switch config.payments {
        case .sandbox:
            SandboxGateway(database: database, baseURL: config.baseURL, webhookSecret: Self.sandboxWebhookSecret(secrets))
        case .stripe(let settings):
            StripeGateway(settings: settings, client: http)
        }
        let imaging = overrides.imaging ?? ImagingService(models: FaceModelFiles(directory: config.modelsDirectory), threads: System.coreCount)
        let downloadLinks = DownloadLinks(secrets: secrets)
        let metrics = AppMetrics()
        let studio = StudioGenerator(renderer: { try await imaging.engine().renderer }, database: database, store: blobStore)
        var remote: RemoteProvider?
        let generator: (any Generator)? = switch config.generator {
        case .studio: studio
        case .none: nil
        case .probe(let milliseconds): ProbeGenerator(perHeadshot: .milliseconds(milliseconds))
        case .remote(let settings):
            {
                var client = PredictionsClient(base: settings.baseURL, token: settings.token, http: http, outputs: config.outbound)
                client.backoff = settings.retryBackoff
                client.outputCAFile = config.outgoingCAFile
                let provider = RemoteProvider(client: client, settings: settings,
                                              webhookURL: config.remoteWebhookSecret == nil ? nil : URL(string: SiteURL.remoteWebhook.absolute(on: config.baseURL)))
                remote = provider
                return RemoteGenerator(provider: provider, studio: studio, database: database, store: blobStore, imaging: imaging, links: downloadLinks,
                                       baseURL: config.baseURL, clock: clock, metrics: metrics, logger: app.logger)
            }()
        }
        let sqliteWriteLock: AsyncMutex? = if case .sqlite = config.database { AsyncMutex() } else { nil }
        let mail = MailQueue(database: database, mailer: mailer, sender: config.mailFrom, clock: clock, logger: app.logger)
        var services = AppServices(
            config: config, clock: clock, secrets: secrets, database: database, fileThreads: app.threadPool,
            passwordHashing: PasswordHashing(threadPool: PasswordHashing.threads, cost: overrides.bcryptCost ?? PasswordHashing.bcryptCost), mailer: mailer,
            mail: mail, blobStore: blobStore, payments: payments,
            webhookTransport: overrides.webhookTransport ?? HTTPWebhookTransport(client: http), generator: generator,
            imaging: imaging, metrics: metrics, logger: app.logger, downloadLinks: downloadLinks, remote: remote, sqliteWriteLock: sqliteWriteLock,
            domain: DomainContext(database: database, clock: clock, sqliteWriteLock: sqliteWriteLock, mail: mail,
                                  baseURL: config.baseURL, supportEmail: config.supportEmail, logger: app.logger),
            uploads: UploadPorts(store: blobStore, imaging: imaging, fileThreads: app.threadPool, retention: config.retention,
                                 dataDirectory: config.dataDirectory)
        )
        services.ownsImaging = overrides.imaging == nil
        return services
    }

    /// The configured store itself (local or S3), beneath the guard: for its own operations (key
    /// rotation, creating a bucket).
    package var configuredStore: any BlobStore { (blobStore as? GuardedBlobStore)?.base ?? blobStore }

    /// Shared by the sandbox gateway (which signs) and our webhook endpoint (which verifies).
    static func sandboxWebhookSecret(_ secrets: Secrets) -> String {
        secrets.key(for: "sandbox-webhook").withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    var sandboxWebhookURL: String { SiteURL.webhook(.value("sandbox")).absolute(on: config.baseURL) }

    /// Sends the sandbox's due webhooks now (also run every few seconds by the background services).
    @discardableResult
    func deliverSandboxWebhooks() async throws -> Int {
        try await SandboxWebhooks.deliverDue(db: try database(), transport: webhookTransport, url: sandboxWebhookURL,
                                             secret: Self.sandboxWebhookSecret(secrets), now: clock.now())
    }
}

/// The HTTP client of outgoing calls (the bucket, Stripe, the predictions provider, the sandbox's
/// webhooks): AsyncHTTPClient's shared one, or, with `TLS_CA_FILE`, one that also trusts that CA, shut
/// down with the application.
enum OutgoingHTTP {
    static func client(trusting caFile: String?, app: Application) -> HTTPClient {
        guard let caFile else { return .shared }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.file(caFile)]
        let client = HTTPClient(eventLoopGroupProvider: .shared(app.eventLoopGroup), configuration: .init(tlsConfiguration: tls))
        app.lifecycle.use(Shutdown(client: client))
        return client
    }

    struct Shutdown: LifecycleHandler {
        let client: HTTPClient
        func shutdownAsync(_ application: Application) async { try? await client.shutdown() }
    }
}

/// Stops the imaging engine's threads with the application.
struct ImagingShutdown: LifecycleHandler {
    let imaging: ImagingService
    func shutdownAsync(_ app: Application) async { await imaging.shutdown(logger: app.logger) }
}
