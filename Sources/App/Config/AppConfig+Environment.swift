import BlobStorage
import Foundation
import HeadshotCore
import Imaging
import Mail
import NIOSSL
import Vapor

extension AppConfig {
    /// Reads the configuration from `variables` (normally the process environment).
    /// Development with nothing set gives the embedded defaults: SQLite and local storage under `var/`,
    /// a secret generated on first run into `var/secret.key` (mode 0600) and the mail outbox.
    package static func load(
        environment: Environment,
        variables: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppConfig {
        var problems: [ConfigError.Problem] = []
        func problem(_ variable: String, _ message: String) {
            problems.append(.init(variable: variable, message: message))
        }
        func value(_ name: String) -> String? {
            guard let raw = variables[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let production = environment == .production

        let dataDirectory = value("DATA_DIR") ?? "var"

        var database = Database.sqlite(path: dataDirectory + "/headshot.sqlite")
        if let url = value("DATABASE_URL") {
            let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init)?.lowercased()
            if scheme == "postgres" || scheme == "postgresql" {
                if (URL(string: url)?.host ?? "").isEmpty {
                    problem("DATABASE_URL", "'\(redacted(url))' has no host; use postgres://USER:PASSWORD@HOST:5432/DATABASE")
                } else {
                    database = .postgres(url: url)
                }
            } else if scheme == "sqlite" {
                let path = String(url.dropFirst("sqlite:".count)).replacingOccurrences(of: "//", with: "", options: .anchored)
                if path.isEmpty { problem("DATABASE_URL", "sqlite: needs a file path, e.g. sqlite:var/headshot.sqlite") }
                else { database = .sqlite(path: path) }
            } else {
                problem("DATABASE_URL", "unsupported database '\(scheme ?? url)'; use postgres://USER:PASSWORD@HOST:5432/DATABASE, or leave it unset for the embedded SQLite database")
            }
        }

        var baseURL = URL(string: "http://localhost:8080")!
        if let raw = value("BASE_URL") {
            if let url = URL(string: raw), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil {
                baseURL = url
            } else {
                problem("BASE_URL", "'\(raw)' is not an http(s) URL; set it to the address users open, e.g. https://headshots.example.com")
            }
        } else if production {
            problem("BASE_URL", "is required in production; set it to the public https:// address of the service")
        }
        if production, baseURL.scheme != "https" {
            problem("BASE_URL", "must start with https:// in production so session cookies are only sent encrypted")
        }

        var secret = SymmetricKeyBytes([])
        var previousSecrets: [SymmetricKeyBytes] = []
        let generate = "generate one with: openssl rand -hex 32"
        if let raw = value("SECRET_KEYS") {
            if value("SECRET_KEY") != nil { problem("SECRET_KEYS", "set either SECRET_KEYS (current first, then older ones) or SECRET_KEY, not both") }
            let entries = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let decoded = entries.map { decodeSecret($0) }
            if entries.isEmpty || decoded.contains(where: { ($0?.count ?? 0) < 32 }) {
                problem("SECRET_KEYS", "must be a comma-separated list of secrets of at least 32 random bytes each, hex or base64, the current one first; \(generate)")
            } else {
                let keys = decoded.compactMap { $0 }.map(SymmetricKeyBytes.init)
                secret = keys[0]
                previousSecrets = Array(keys.dropFirst())
            }
        } else if let raw = value("SECRET_KEY") {
            if let bytes = decodeSecret(raw), bytes.count >= 32 {
                secret = SymmetricKeyBytes(bytes)
            } else {
                problem("SECRET_KEY", "must be at least 32 random bytes, hex or base64 encoded; \(generate)")
            }
        } else if production {
            problem("SECRET_KEY", "is required in production (or SECRET_KEYS to rotate); \(generate)")
        } else {
            do { secret = try loadOrCreateSecret(in: dataDirectory) }
            catch let error as UnreadableSecret { problem("DATA_DIR", error.description) }
            catch { problem("DATA_DIR", "could not create \(dataDirectory)/secret.key (\(error)); make the directory writable or set SECRET_KEY") }
        }

        var mail = MailTransport.outbox
        if value("SMTP_HOST") != nil {
            do { mail = .smtp(try SMTPSettings.load(from: variables)) }
            catch let error as ConfigError { problems += error.problems }
        } else if production {
            problem("SMTP_HOST", "is required in production so password-reset and delivery emails reach people; set SMTP_HOST, SMTP_PORT, SMTP_USERNAME and SMTP_PASSWORD")
        }
        let mailFrom = value("MAIL_FROM") ?? "Headshot Studio <no-reply@\(baseURL.host ?? "localhost")>"
        if !mailFrom.contains("@") { problem("MAIL_FROM", "'\(mailFrom)' has no email address; e.g. Headshot Studio <no-reply@example.com>") }
        let supportEmail = value("SUPPORT_EMAIL") ?? "support@\(baseURL.host ?? "localhost")"
        if let set = value("SUPPORT_EMAIL"), Accounts.emailProblem(set) != nil {
            problem("SUPPORT_EMAIL", "'\(set)' is not an email address; e.g. support@example.com")
        }

        var proxyHops = 0
        if let raw = value("TRUST_PROXY") {
            switch raw.lowercased() {
            case "true", "yes": proxyHops = 1
            case "false", "no": proxyHops = 0
            default:
                if let hops = Int(raw), (0...5).contains(hops) { proxyHops = hops }
                else { problem("TRUST_PROXY", "'\(raw)' is neither a boolean nor a number of proxies; use false, true (one proxy) or the number of proxies you run in front of the service (at most 5)") }
            }
        }

        let modelsDirectory = value("MODELS_DIR") ?? "models"

        var storage = Storage.local
        switch value("STORAGE")?.lowercased() ?? "local" {
        case "local": break
        case "s3":
            let endpoint = value("S3_ENDPOINT").flatMap(URL.init(string:))
            if endpoint?.scheme == nil || endpoint?.host == nil {
                problem("S3_ENDPOINT", "must be the bucket server's URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000")
            }
            for required in ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] where value(required) == nil {
                problem(required, "is required when STORAGE=s3")
            }
            if let endpoint, endpoint.host != nil, let bucket = value("S3_BUCKET"),
               let access = value("S3_ACCESS_KEY_ID"), let secret = value("S3_SECRET_ACCESS_KEY") {
                let sse = value("S3_SSE") ?? "AES256"
                storage = .s3(S3Settings(
                    endpoint: endpoint, region: value("S3_REGION") ?? "us-east-1", bucket: bucket, accessKeyID: access,
                    secretAccessKey: secret, pathStyle: (value("S3_PATH_STYLE") ?? "true").lowercased() != "false",
                    serverSideEncryption: sse.lowercased() == "none" ? nil : sse
                ))
            }
        case let other:
            problem("STORAGE", "'\(other)' is not a storage backend; use local (encrypted files under DATA_DIR) or s3")
        }

        var payments = Payments.sandbox
        let allowSandbox = ["1", "true", "yes"].contains(value("ALLOW_SANDBOX_IN_PRODUCTION")?.lowercased() ?? "")
        switch value("PAYMENTS")?.lowercased() ?? (production ? "" : "sandbox") {
        case "":
            problem("PAYMENTS", "is required in production; set PAYMENTS=stripe with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (or, for a demo install that takes no real money, PAYMENTS=sandbox with ALLOW_SANDBOX_IN_PRODUCTION=true)")
        case "sandbox":
            if production, !allowSandbox {
                problem("PAYMENTS", "sandbox accepts test cards and delivers real headshots for no money, so production refuses it; set PAYMENTS=stripe, or ALLOW_SANDBOX_IN_PRODUCTION=true for a demo install (every page then says no real payments are taken)")
            }
        case "stripe":
            let secret = value("STRIPE_SECRET_KEY"), webhook = value("STRIPE_WEBHOOK_SECRET")
            if secret == nil { problem("STRIPE_SECRET_KEY", "is required when PAYMENTS=stripe (sk_live_… or sk_test_… from the Stripe dashboard)") }
            if webhook == nil { problem("STRIPE_WEBHOOK_SECRET", "is required when PAYMENTS=stripe (whsec_… of the endpoint BASE_URL/webhooks/stripe)") }
            let base = value("STRIPE_API_BASE").flatMap(URL.init(string:)) ?? URL(string: "https://api.stripe.com")!
            if let secret, let webhook { payments = .stripe(StripeSettings(secretKey: secret, webhookSecret: webhook, apiBase: base)) }
        case let other:
            problem("PAYMENTS", "'\(other)' is not a payment gateway; use sandbox (built-in test payments) or stripe")
        }

        var generator = GeneratorChoice.studio
        switch value("GENERATOR")?.lowercased() ?? "studio" {
        case "studio": break
        case "none": generator = .none
        case "probe":
            if production {
                problem("GENERATOR", "probe makes flat grey test images for exercising the queue and is refused in production")
            }
            let raw = value("PROBE_MS_PER_HEADSHOT") ?? "20"
            if let milliseconds = Int(raw), (0...60_000).contains(milliseconds) { generator = .probe(milliseconds: milliseconds) }
            else { problem("PROBE_MS_PER_HEADSHOT", "'\(raw)' is not a whole number of milliseconds between 0 and 60000") }
        case "remote":
            let base = value("REMOTE_BASE_URL") ?? "https://api.replicate.com"
            let token = value("REMOTE_API_TOKEN")
            let url = URL(string: base)
            if url?.scheme == nil || url?.host == nil || !["http", "https"].contains(url?.scheme ?? "") {
                problem("REMOTE_BASE_URL", "'\(base)' is not an http(s) URL; use https://api.replicate.com or the address of your Cog container")
            } else if production, url?.scheme == "http", !RemoteSettings.isPrivateHost(url?.host ?? "") {
                problem("REMOTE_BASE_URL", "sends the API token and customers' photos in the clear; use https (plain http is allowed only for a Cog container on this machine or a private network)")
            }
            var presets: RemotePresets?
            if let path = value("REMOTE_PRESETS") {
                do { presets = try RemotePresets.load(path: path, knownPresets: StylePreset.allCases.map(\.rawValue)) } catch let invalid as RemotePresets.Invalid {
                    for line in invalid.problems { problem("REMOTE_PRESETS", String(line.dropFirst("REMOTE_PRESETS".count)).trimmingCharacters(in: CharacterSet(charactersIn: " :"))) }
                } catch { problem("REMOTE_PRESETS", "cannot be read: \(error)") }
            } else {
                problem("REMOTE_PRESETS", "is required when GENERATOR=remote: the path of the JSON file saying which presets the GPU model renders (see docs/remote-presets.example.json)")
            }
            if token == nil, let presets, presets.presets.values.contains(where: { $0.backend == .remote && $0.target != .cog }) {
                problem("REMOTE_API_TOKEN", "is required for a hosted provider (the r8_… token from replicate.com/account/api-tokens); only presets with \"model\": \"cog\" run without one")
            }
            if let url, let presets { generator = .remote(RemoteSettings(baseURL: url, token: token, presets: presets)) }
        case let other:
            problem("GENERATOR", "'\(other)' is not a generator; use studio (the built-in renderer), remote (a GPU model behind a predictions API), none, or probe (queue testing)")
        }

        var queueLease = JobQueue.defaultLease
        if let raw = value("QUEUE_LEASE_SECONDS") {
            if let seconds = Int(raw), (2...3600).contains(seconds) { queueLease = TimeInterval(seconds) }
            else { problem("QUEUE_LEASE_SECONDS", "'\(raw)' is not a whole number of seconds between 2 and 3600") }
        }

        var poolSize = 4
        if let raw = value("DATABASE_POOL_SIZE") {
            if let size = Int(raw), (1...64).contains(size) { poolSize = size }
            else { problem("DATABASE_POOL_SIZE", "'\(raw)' is not a number of connections per event loop between 1 and 64") }
        }

        var retention = RetentionPolicy()
        for (name, range, keyPath) in [("SELFIE_RETENTION_DAYS", 1...365, \RetentionPolicy.selfieDays),
                                        ("HEADSHOT_RETENTION_DAYS", 1...3650, \RetentionPolicy.headshotDays)] {
            guard let raw = value(name) else { continue }
            if let days = Int(raw), range.contains(days) { retention[keyPath: keyPath] = days }
            else { problem(name, "'\(raw)' is not a whole number of days between \(range.lowerBound) and \(range.upperBound)") }
        }

        let metricsToken = value("METRICS_TOKEN")
        if let metricsToken, metricsToken.count < 16 {
            problem("METRICS_TOKEN", "is too short to guard the metrics; use at least 16 random characters, e.g. openssl rand -hex 16")
        }
        let devOutboxRemote = ["1", "true", "yes"].contains(value("DEV_OUTBOX_REMOTE")?.lowercased() ?? "")
        let outgoingCAFile = value("TLS_CA_FILE")
        if let outgoingCAFile, (try? NIOSSLCertificate.fromPEMFile(outgoingCAFile))?.isEmpty != false {
            problem("TLS_CA_FILE", "cannot read a PEM certificate from '\(outgoingCAFile)'; give the path of the CA certificate file (-----BEGIN CERTIFICATE-----)")
        }
        var runWorkers = true
        if let raw = value("SERVE_BACKGROUND") {
            switch raw.lowercased() {
            case "true", "yes", "1": runWorkers = true
            case "false", "no", "0": runWorkers = false
            default: problem("SERVE_BACKGROUND", "'\(raw)' is not a boolean; use false for web nodes that only serve pages (with `headshot worker` processes doing the background work), true (the default) otherwise")
            }
        }
        if !runWorkers, case .sqlite = database {
            problem("SERVE_BACKGROUND", "false needs a database shared with `headshot worker` processes; set DATABASE_URL=postgres://…")
        }
        let remoteWebhookSecret = value("REMOTE_WEBHOOK_SECRET")
        if let remoteWebhookSecret, (try? StandardWebhook.key(remoteWebhookSecret)) == nil {
            problem("REMOTE_WEBHOOK_SECRET", "is not a webhook signing secret; use the whsec_… value the provider gives for its webhooks")
        }

        var outboundHosts = AppConfig.defaultOutboundHosts
        if let raw = value("OUTBOUND_ALLOWED_HOSTS") {
            let hosts = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            let invalid = hosts.filter { host in
                let name = host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
                return name.isEmpty || name.contains("*") || name.contains("/") || name.contains(":") || !name.contains(".")
            }
            if invalid.isEmpty { outboundHosts = hosts }
            else { problem("OUTBOUND_ALLOWED_HOSTS", "'\(invalid.joined(separator: ", "))' is not a host name; list names such as replicate.delivery or *.replicate.delivery, separated by commas") }
        }

        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        var config = AppConfig(
            environment: environment, dataDirectory: dataDirectory, database: database, baseURL: baseURL,
            secretKey: secret, mail: mail, mailFrom: mailFrom, proxyHops: proxyHops, runWorkers: runWorkers, modelsDirectory: modelsDirectory,
            storage: storage, payments: payments, generator: generator, queueLease: queueLease
        )
        config.databasePoolSize = poolSize
        config.previousSecretKeys = previousSecrets
        config.retention = retention
        config.allowSandboxInProduction = allowSandbox
        config.metricsToken = metricsToken
        config.devOutboxRemote = devOutboxRemote
        config.outgoingCAFile = outgoingCAFile
        config.remoteWebhookSecret = remoteWebhookSecret
        config.supportEmail = supportEmail
        // Production: https to public addresses only (checked at connect time); development also
        // reaches a provider or partner running on this machine.
        config.outbound = OutboundPolicy(allowedHosts: outboundHosts, allowsHTTP: !production, refusesPrivateAddresses: production)
        return config
    }

    /// Commands that check photos (`serve`, `worker`, `check`) refuse to start without every face
    /// model, naming the missing files, rather than failing on the first upload.
    package func requireFaceModels() throws {
        let missing = FaceModelFiles(directory: modelsDirectory).missing()
        guard missing.isEmpty else {
            throw ConfigError(problems: [.init(
                variable: "MODELS_DIR",
                message: "face models missing in \(modelsDirectory): \(missing.joined(separator: ", ")); install them with `bash scripts/models.sh` (or point MODELS_DIR at the folder that has them)"
            )])
        }
    }

    /// Hides the password of a connection URL before it is echoed in an error message.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    static func decodeSecret(_ raw: String) -> [UInt8]? {
        if raw.count % 2 == 0, raw.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = raw.startIndex
            while index < raw.endIndex {
                let next = raw.index(index, offsetBy: 2)
                guard let byte = UInt8(raw[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return bytes
        }
        return Data(base64Encoded: raw).map { Array($0) }
    }

    /// The embedded default: a random key kept beside the data, readable by its owner only. An existing
    /// file that cannot be read or decoded is never replaced: every stored photo is sealed under it.
    static func loadOrCreateSecret(in directory: String) throws -> SymmetricKeyBytes {
        let path = directory + "/secret.key"
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let bytes = decodeSecret(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32
            else { throw UnreadableSecret(path: path) }
            return SymmetricKeyBytes(bytes)
        }
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let bytes = [UInt8].random(count: 32)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        guard manager.createFile(atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        return SymmetricKeyBytes(bytes)
    }

    struct UnreadableSecret: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "\(path) exists but is not a readable secret of at least 32 bytes; the service will not replace it, because every stored photo is sealed under it. Restore it from a backup (or, to start over with no data, move it away)"
        }
    }
}
