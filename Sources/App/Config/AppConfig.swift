import BlobStorage
import Foundation
import HeadshotCore
import Mail
import Vapor

/// Every setting the service reads from the environment, parsed and validated in one place at boot.
/// Anything wrong is reported together, each line naming the variable and how to fix it, so an
/// operator fixes a deployment in one pass instead of one crash per variable.
package struct AppConfig: Sendable {
    /// A SQLite file or a PostgreSQL server (`DatabaseLocation` in the core).
    package typealias Database = DatabaseLocation

    package enum Storage: Sendable, Equatable {
        /// Encrypted files under `DATA_DIR/blobs` (keys in `DATA_DIR/blob-keys`).
        case local
        case s3(S3Settings)
    }

    package enum Payments: Sendable, Equatable {
        /// The built-in test gateway: hosted page at /sandbox/checkout, no real money.
        case sandbox
        case stripe(StripeSettings)
    }

    package enum MailTransport: Sendable, Equatable {
        /// Messages are kept in the database and listed at /dev/outbox (development only).
        case outbox
        case smtp(SMTPSettings)
    }

    package enum GeneratorChoice: Sendable, Equatable {
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

    /// The predictions provider (`RemoteSettings` in the core).
    package typealias RemoteSettings = HeadshotCore.RemoteSettings

    package var environment: Environment
    package var dataDirectory: String
    package var database: Database
    package var baseURL: URL
    /// The current secret (`SECRET_KEYS`' first entry, or `SECRET_KEY`).
    package var secretKey: SymmetricKeyBytes
    /// Older secrets still accepted for reading sealed data keys and verifying links (`SECRET_KEYS`
    /// after the first), until `headshot rotate-keys` has re-sealed everything under the current one.
    package var previousSecretKeys: [SymmetricKeyBytes] = []
    package var mail: MailTransport
    package var mailFrom: String
    /// Where messages from the contact page go (`SUPPORT_EMAIL`, by default support@ the site's host).
    package var supportEmail = "support@localhost"
    /// How many proxies we run sit in front of the service (`TRUST_PROXY`: false = 0, true = 1, or a
    /// number). The client's address is the `X-Forwarded-For` entry the outermost of them added,
    /// counted from the right; entries further left are whatever the client sent and are ignored.
    package var proxyHops: Int
    package var trustProxy: Bool { proxyHops > 0 }
    /// `ALLOW_SANDBOX_IN_PRODUCTION=true`: a demo install takes sandbox "payments" in production, and
    /// every page says so.
    package var allowSandboxInProduction = false
    /// `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`; when unset in
    /// production, only clients on this machine (loopback).
    package var metricsToken: String?
    /// `DEV_OUTBOX_REMOTE=true`: the development outbox also answers clients that are not on this
    /// machine (it lists every mail the service sent, reset links included).
    package var devOutboxRemote = false
    /// `TLS_CA_FILE`: a PEM file of certificate authorities trusted for outgoing HTTPS besides the
    /// system's (a private CA in front of BASE_URL, the bucket or a GPU box); unset, the system's only.
    package var outgoingCAFile: String?
    /// `REMOTE_WEBHOOK_SECRET` (`whsec_…`): the predictions provider's webhook signing secret; with it
    /// set, `/webhooks/remote` takes the provider's Standard Webhooks calls.
    package var remoteWebhookSecret: String?
    /// `SERVE_BACKGROUND` (default true): `serve` also runs the background services (queue worker,
    /// schedulers, mail). False makes a web node of a scaled-out deployment, beside `headshot worker`s.
    package var runWorkers: Bool
    /// Folder holding dlib's face models (`MODELS_DIR`, default `models`), installed by scripts/models.sh.
    package var modelsDirectory: String
    package var storage: Storage
    package var payments: Payments
    package var generator: GeneratorChoice
    /// PostgreSQL connections per event loop (`DATABASE_POOL_SIZE`): web requests, event streams and
    /// queue workers share them.
    package var databasePoolSize: Int = 4
    /// How long selfies and headshots are kept (`SELFIE_RETENTION_DAYS`, `HEADSHOT_RETENTION_DAYS`).
    package var retention = RetentionPolicy()
    /// How long a worker's claim on a job lasts without a heartbeat (`QUEUE_LEASE_SECONDS`).
    package var queueLease: TimeInterval
    /// Where the service may send requests to URLs it did not write (`OutboundPolicy`): provider output
    /// hosts from `OUTBOUND_ALLOWED_HOSTS`; https and public addresses only in production.
    package var outbound = OutboundPolicy(allowedHosts: AppConfig.defaultOutboundHosts, allowsHTTP: true, refusesPrivateAddresses: false)
    /// Replicate serves prediction outputs from replicate.delivery and its subdomains.
    static let defaultOutboundHosts = ["replicate.delivery", "*.replicate.delivery"]

    package var isHTTPS: Bool { baseURL.scheme == "https" }
    package var isProduction: Bool { environment == .production }
    /// Pages carry a "demo — no real payments" banner: a production install on the sandbox gateway.
    package var isDemo: Bool { isProduction && payments == .sandbox }

    package init(
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

package struct ConfigError: Error, CustomStringConvertible, Sendable {
    package struct Problem: Sendable, Equatable {
        package let variable: String
        package let message: String
    }
    package let problems: [Problem]

    package var description: String {
        "Headshot Studio cannot start; fix the configuration:\n"
            + problems.map { "  - \($0.variable): \($0.message)" }.joined(separator: "\n")
    }
}
