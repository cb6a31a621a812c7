import BlobStorage
import Foundation
import Mail
import Vapor

/// Every setting the service reads from the environment, parsed and validated in one place at boot.
/// Anything wrong is reported together, each line naming the variable and how to fix it, so an
/// operator fixes a deployment in one pass instead of one crash per variable.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public enum Storage: Sendable, Equatable {
        /// Encrypted files under `DATA_DIR/blobs` (keys in `DATA_DIR/blob-keys`).
        case local
        case s3(S3Settings)
    }

    public enum Payments: Sendable, Equatable {
        /// The built-in test gateway: hosted page at /sandbox/checkout, no real money.
        case sandbox
        case stripe(StripeSettings)
    }

    public enum MailTransport: Sendable, Equatable {
        /// Messages are kept in the database and listed at /dev/outbox (development only).
        case outbox
        case smtp(SMTPSettings)
    }

    public enum GeneratorChoice: Sendable, Equatable {
        /// The built-in studio renderer on this machine's CPU (the default).
        case studio
        /// No worker claims jobs: paid orders wait in the queue.
        case none
        /// Flat grey test images after a fixed pause, for exercising the queue (not in production).
        case probe(milliseconds: Int)
        /// A GPU model behind a predictions API (Replicate, or a self-hosted Cog container) for the
        /// presets the preset file gives it; the studio renderer for the rest, and as the fallback.
        case remote(RemoteSettings)
    }

    /// The predictions provider (`REMOTE_BASE_URL`, `REMOTE_API_TOKEN`) and the preset file (`REMOTE_PRESETS`).
    public struct RemoteSettings: Sendable, Equatable {
        public var baseURL: URL
        /// None for a self-hosted Cog container.
        public var token: String?
        var presets: RemotePresets
        /// How long the generator waits for a webhook before it reads a prediction itself.
        public var webhookGrace: Duration = .seconds(20)
        /// How often it reads a prediction once it does.
        public var pollInterval: Duration = .seconds(5)
        /// The first wait before retrying a 429 or 5xx without `Retry-After` (doubled each retry).
        public var retryBackoff: Duration = .seconds(1)

        init(baseURL: URL, token: String?, presets: RemotePresets) {
            self.baseURL = baseURL
            self.token = token
            self.presets = presets
        }

        /// Loopback or a private network (RFC 1918, `.local`, `.internal`): where plain http to a Cog container is acceptable.
        static func isPrivateHost(_ host: String) -> Bool {
            if ["localhost", "127.0.0.1", "::1"].contains(host) || host.hasSuffix(".local") || host.hasSuffix(".internal") { return true }
            let parts = host.split(separator: ".").compactMap { Int($0) }
            guard parts.count == 4 else { return false }
            return parts[0] == 10 || parts[0] == 127 || (parts[0] == 192 && parts[1] == 168) || (parts[0] == 172 && (16...31).contains(parts[1]))
        }
    }

    public var environment: Environment
    public var dataDirectory: String
    public var database: Database
    public var baseURL: URL
    /// The current secret (`SECRET_KEYS`' first entry, or `SECRET_KEY`).
    public var secretKey: SymmetricKeyBytes
    /// Older secrets still accepted for reading sealed data keys and verifying links (`SECRET_KEYS`
    /// after the first), until `headshot rotate-keys` has re-sealed everything under the current one.
    public var previousSecretKeys: [SymmetricKeyBytes] = []
    public var mail: MailTransport
    public var mailFrom: String
    /// Where messages from the contact page go (`SUPPORT_EMAIL`, by default support@ the site's host).
    public var supportEmail = "support@localhost"
    /// How many proxies we run sit in front of the service (`TRUST_PROXY`: false = 0, true = 1, or a
    /// number). The client's address is the `X-Forwarded-For` entry the outermost of them added,
    /// counted from the right; entries further left are whatever the client sent and are ignored.
    public var proxyHops: Int
    public var trustProxy: Bool { proxyHops > 0 }
    /// `ALLOW_SANDBOX_IN_PRODUCTION=true`: a demo install takes sandbox "payments" in production, and
    /// every page says so.
    public var allowSandboxInProduction = false
    /// `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`; when unset in
    /// production, only clients on this machine (loopback).
    public var metricsToken: String?
    /// `DEV_OUTBOX_REMOTE=true`: the development outbox also answers clients that are not on this
    /// machine (it lists every mail the service sent, reset links included).
    public var devOutboxRemote = false
    /// `TLS_CA_FILE`: a PEM file of certificate authorities trusted for outgoing HTTPS besides the
    /// system's (a private CA in front of BASE_URL, the bucket or a GPU box); unset, the system's only.
    public var outgoingCAFile: String?
    /// `REMOTE_WEBHOOK_SECRET` (`whsec_…`): the predictions provider's webhook signing secret; with it
    /// set, `/webhooks/remote` takes the provider's Standard Webhooks calls.
    public var remoteWebhookSecret: String?
    /// `SERVE_BACKGROUND` (default true): `serve` also runs the background services (queue worker,
    /// schedulers, mail). False makes a web node of a scaled-out deployment, beside `headshot worker`s.
    public var runWorkers: Bool
    /// Folder holding dlib's face models (`MODELS_DIR`, default `models`), installed by scripts/models.sh.
    public var modelsDirectory: String
    public var storage: Storage
    public var payments: Payments
    public var generator: GeneratorChoice
    /// PostgreSQL connections per event loop (`DATABASE_POOL_SIZE`): web requests, event streams and
    /// queue workers share them.
    public var databasePoolSize: Int = 4
    /// How long selfies and headshots are kept (`SELFIE_RETENTION_DAYS`, `HEADSHOT_RETENTION_DAYS`).
    public var retention = RetentionPolicy()
    /// How long a worker's claim on a job lasts without a heartbeat (`QUEUE_LEASE_SECONDS`).
    public var queueLease: TimeInterval
    /// Where the service may send requests to URLs it did not write (`OutboundPolicy`): provider output
    /// hosts from `OUTBOUND_ALLOWED_HOSTS`; https and public addresses only in production.
    package var outbound = OutboundPolicy(allowedHosts: AppConfig.defaultOutboundHosts, allowsHTTP: true, refusesPrivateAddresses: false)
    /// Replicate serves prediction outputs from replicate.delivery and its subdomains.
    static let defaultOutboundHosts = ["replicate.delivery", "*.replicate.delivery"]

    public var isHTTPS: Bool { baseURL.scheme == "https" }
    public var isProduction: Bool { environment == .production }
    /// Pages carry a "demo — no real payments" banner: a production install on the sandbox gateway.
    public var isDemo: Bool { isProduction && payments == .sandbox }

    public init(
        environment: Environment, dataDirectory: String, database: Database, baseURL: URL,
        secretKey: SymmetricKeyBytes, mail: MailTransport, mailFrom: String,
        proxyHops: Int = 0, runWorkers: Bool = true, modelsDirectory: String = "models", storage: Storage = .local,
        payments: Payments = .sandbox, generator: GeneratorChoice = .studio, queueLease: TimeInterval = 60
    ) {
        self.environment = environment
        self.dataDirectory = dataDirectory
        self.database = database
        self.baseURL = baseURL
        self.secretKey = secretKey
        self.mail = mail
        self.mailFrom = mailFrom
        self.proxyHops = proxyHops
        self.runWorkers = runWorkers
        self.modelsDirectory = modelsDirectory
        self.storage = storage
        self.payments = payments
        self.generator = generator
        self.queueLease = queueLease
    }
}

/// The raw secret bytes (at least 32) from which every signing and encryption key is derived.
public struct SymmetricKeyBytes: Sendable, Equatable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}

public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public struct Problem: Sendable, Equatable {
        public let variable: String
        public let message: String
    }
    public let problems: [Problem]

    public var description: String {
        "Headshot Studio cannot start; fix the configuration:\n"
            + problems.map { "  - \($0.variable): \($0.message)" }.joined(separator: "\n")
    }
}
