import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Configuration from the environment") struct ConfigTests {
    private func problems(_ environment: Environment, _ variables: [String: String]) -> [String] {
        do {
            _ = try AppConfig.load(environment: environment, variables: variables)
            return []
        } catch let error as ConfigError {
            return error.problems.map(\.variable)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func developmentDefaultsNeedNoVariablesAndCreateAPrivateSecret() throws {
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory])
        #expect(config.database == .sqlite(path: directory + "/headshot.sqlite"))
        #expect(config.mail == .outbox)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/secret.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let again = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory])
        #expect(again.secretKey == config.secretKey, "the secret survives restarts")
    }

    @Test func missingFaceModelsAreNamedWithTheVariableAndTheFix() throws {
        let directory = NSTemporaryDirectory() + "models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // One model present but empty (an interrupted copy) counts as missing too.
        FileManager.default.createFile(atPath: directory + "/shape_predictor_5_face_landmarks.dat", contents: Data())
        let config = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory, "MODELS_DIR": directory])
        #expect(config.modelsDirectory == directory)
        do {
            try config.requireFaceModels()
            Issue.record("an empty models folder was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.variable) == ["MODELS_DIR"])
            let message = error.problems[0].message
            #expect(message.contains("shape_predictor_5_face_landmarks.dat") && message.contains("mmod_human_face_detector.dat"))
            #expect(message.contains("scripts/models.sh"))
        }
    }

    @Test func postgresURLSwitchesTheDatabase() throws {
        let config = try AppConfig.load(environment: .development, variables: ["DATABASE_URL": "postgres://u:p@db:5432/hs", "SECRET_KEY": String(repeating: "ab", count: 32)])
        #expect(config.database == .postgres(url: "postgres://u:p@db:5432/hs"))
    }

    @Test func aWebOnlyServeNeedsTheSharedDatabaseAndABooleanSwitch() throws {
        let postgres = ["DATABASE_URL": "postgres://u:p@db:5432/hs", "SECRET_KEY": String(repeating: "ab", count: 32)]
        #expect(try AppConfig.load(environment: .development, variables: postgres).runWorkers)
        #expect(try !AppConfig.load(environment: .development, variables: postgres.merging(["SERVE_BACKGROUND": "false"]) { $1 }).runWorkers)
        #expect(problems(.development, postgres.merging(["SERVE_BACKGROUND": "sometimes"]) { $1 }) == ["SERVE_BACKGROUND"])
        // On SQLite nothing else would ever run the queue: refused.
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(problems(.development, ["DATA_DIR": directory, "SERVE_BACKGROUND": "false"]) == ["SERVE_BACKGROUND"])
    }

    @Test func productionRefusesToStartWithoutSecretHTTPSAndMail() {
        #expect(Set(problems(.production, [:])) == ["BASE_URL", "SECRET_KEY", "SMTP_HOST", "PAYMENTS"])
        #expect(problems(.production, ["BASE_URL": "http://h.example.com", "SECRET_KEY": String(repeating: "ab", count: 32), "SMTP_HOST": "mail",
                                       "PAYMENTS": "sandbox", "ALLOW_SANDBOX_IN_PRODUCTION": "true"]) == ["BASE_URL"])
    }

    @Test func eachBadValueIsNamedWithItsFix() throws {
        let bad = problems(.development, [
            "DATABASE_URL": "mysql://x", "SECRET_KEY": "tooshort", "BASE_URL": "ftp://x", "SMTP_HOST": "mail",
            "SMTP_PORT": "99999", "SMTP_TLS": "sometimes", "TRUST_PROXY": "maybe", "MAIL_FROM": "nobody",
            "GENERATOR": "dalle", "QUEUE_LEASE_SECONDS": "1", "REMOTE_WEBHOOK_SECRET": "whsec_***", "TLS_CA_FILE": "/nonexistent/ca.pem",
        ])
        #expect(Set(bad) == ["DATABASE_URL", "SECRET_KEY", "BASE_URL", "SMTP_PORT", "SMTP_TLS", "TRUST_PROXY", "MAIL_FROM",
                             "GENERATOR", "QUEUE_LEASE_SECONDS", "REMOTE_WEBHOOK_SECRET", "TLS_CA_FILE"])
        do {
            _ = try AppConfig.load(environment: .development, variables: ["DATABASE_URL": "postgres://user:hunter2@/db", "SECRET_KEY": String(repeating: "ab", count: 32)])
            Issue.record("expected a configuration error")
        } catch let error as ConfigError {
            #expect(error.description.contains("DATABASE_URL"))
            #expect(!error.description.contains("hunter2"), "passwords are not echoed")
        }
    }

    @Test func theQueueProbeGeneratorIsForTestingOnly() throws {
        let production = ["BASE_URL": "https://h.example.com", "SECRET_KEY": String(repeating: "ab", count: 32), "SMTP_HOST": "mail",
                          "PAYMENTS": "sandbox", "ALLOW_SANDBOX_IN_PRODUCTION": "true"]
        #expect(problems(.production, production.merging(["GENERATOR": "probe"]) { $1 }) == ["GENERATOR"])
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig.load(environment: .development, variables: [
            "DATA_DIR": directory, "GENERATOR": "probe", "PROBE_MS_PER_HEADSHOT": "5", "QUEUE_LEASE_SECONDS": "7",
        ])
        #expect(config.generator == .probe(milliseconds: 5) && config.queueLease == 7)
    }

    @Test func theRemoteGeneratorIsConfiguredFromTheEnvironmentAndRefusedWithEveryProblemNamed() throws {
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let example = CheckCommandTests.packageRoot.appendingPathComponent("docs/remote-presets.example.json").path
        let bad = directory + "/bad.json"
        try Data(#"{"presets": {"corporate-grey": {"backend": "remote", "model": "acme/pulid", "input": {"prompt": "x"}}}}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let base = ["DATA_DIR": directory, "GENERATOR": "remote"]
        // No preset file; no token for a hosted model; a preset without a reference photo placeholder.
        #expect(problems(.development, base) == ["REMOTE_PRESETS"])
        #expect(problems(.development, base.merging(["REMOTE_PRESETS": example]) { $1 }) == ["REMOTE_API_TOKEN"])
        do {
            _ = try AppConfig.load(environment: .development, variables: base.merging(["REMOTE_PRESETS": bad, "REMOTE_API_TOKEN": "r8_x"]) { $1 })
            Issue.record("a preset without a reference placeholder was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("presets.corporate-grey.input") && error.description.contains("{{reference}}"))
        }
        // Production refuses sending the token and photos over plain http to a public host; a private Cog machine is fine.
        let production = ["BASE_URL": "https://h.example.com", "SECRET_KEY": String(repeating: "ab", count: 32), "SMTP_HOST": "mail",
                          "PAYMENTS": "sandbox", "ALLOW_SANDBOX_IN_PRODUCTION": "true", "GENERATOR": "remote", "REMOTE_PRESETS": example,
                          "REMOTE_API_TOKEN": "r8_x", "DATA_DIR": directory]
        #expect(problems(.production, production.merging(["REMOTE_BASE_URL": "http://gpu.example.com"]) { $1 }) == ["REMOTE_BASE_URL"])
        #expect(problems(.production, production.merging(["REMOTE_BASE_URL": "http://192.168.1.20:5000"]) { $1 }) == [])
        let config = try AppConfig.load(environment: .development, variables: base.merging(["REMOTE_PRESETS": example, "REMOTE_API_TOKEN": "r8_x"]) { $1 })
        guard case .remote(let settings) = config.generator else { Issue.record("not the remote generator: \(config.generator)"); return }
        #expect(settings.baseURL.absoluteString == "https://api.replicate.com" && settings.token == "r8_x")
        #expect(settings.presets.remotePresets == ["corporate-grey", "executive-navy"] && settings.presets.backend(of: "modern-office") == .studio)
    }
}

/// 14. Secrets rotate, and a damaged key file is never silently replaced.
@Suite("Secret rotation") struct SecretRotationTests {
    let first = String(repeating: "ab", count: 32), second = String(repeating: "cd", count: 32)

    /// Outbound requests: the allowed hosts come from the environment (names, or `*.` and a name), a
    /// bad entry is named with its fix, and production fetches over https from public addresses only.
    @Test func theOutboundPolicyIsReadFromTheEnvironmentAndStrictInProduction() throws {
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let development = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory,
                                                                                    "OUTBOUND_ALLOWED_HOSTS": "cdn.example.com, *.Files.Example.net"])
        #expect(development.outbound.allowedHosts == ["cdn.example.com", "*.files.example.net"])
        #expect(development.outbound.allowsHTTP && !development.outbound.refusesPrivateAddresses)
        #expect(throws: OutboundPolicy.Refusal.hostNotAllowed("evil.example.org")) { try development.outbound.check("https://evil.example.org/x.jpg") }
        #expect(try development.outbound.check("https://a.files.example.net/x.jpg").host == "a.files.example.net")
        do {
            _ = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory, "OUTBOUND_ALLOWED_HOSTS": "http://cdn.example.com/, *"])
            Issue.record("a URL and a bare * are not host names")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.variable) == ["OUTBOUND_ALLOWED_HOSTS"])
        }
        let defaults = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory])
        #expect(defaults.outbound.allowedHosts == ["replicate.delivery", "*.replicate.delivery"])
    }

    @Test func secretKeysListTheCurrentSecretFirstAndOlderOnesAfter() throws {
        let config = try AppConfig.load(environment: .development, variables: ["SECRET_KEYS": "\(second), \(first)"])
        #expect(config.secretKey.bytes == [UInt8](repeating: 0xcd, count: 32))
        #expect(config.previousSecretKeys.map(\.bytes) == [[UInt8](repeating: 0xab, count: 32)])
        do {
            _ = try AppConfig.load(environment: .development, variables: ["SECRET_KEYS": "\(second),tooshort"])
            Issue.record("a short secret in the list was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.variable) == ["SECRET_KEYS"])
        }
    }

    @Test func downloadLinksSignedUnderAnOlderSecretVerifyWhileItIsListed() throws {
        let old = Secrets(SymmetricKeyBytes([UInt8](repeating: 1, count: 32)))
        let rotated = Secrets(SymmetricKeyBytes([UInt8](repeating: 2, count: 32)), previous: [SymmetricKeyBytes([UInt8](repeating: 1, count: 32))])
        let alone = Secrets(SymmetricKeyBytes([UInt8](repeating: 2, count: 32)))
        let user = UUID(), asset = UUID(), now = Date()
        let path = DownloadLinks(secrets: old).path(for: DownloadLinks(secrets: old).grant(.headshot(asset, .full), user: user, now: now))
        let query = URLComponents(string: path)!.queryItems!.reduce(into: [String: String]()) { $0[$1.name] = $1.value }
        func verify(_ secrets: Secrets) -> Bool {
            (try? DownloadLinks(secrets: secrets).verify(.headshot(asset, .full), user: user, expires: Int(query["exp"]!)!,
                                                          keyID: query["kid"]!, signature: query["sig"]!, now: now)) != nil
        }
        #expect(query["kid"] == old.currentID && old.currentID != rotated.currentID)
        #expect(verify(rotated), "the older secret is still listed")
        #expect(!verify(alone), "once it is removed, its links stop working")
    }

    @Test func anUnreadableSecretFileStopsTheServiceInsteadOfBeingReplaced() throws {
        let directory = NSTemporaryDirectory() + "cfg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let damaged = Data("not a secret\n".utf8)
        try damaged.write(to: URL(fileURLWithPath: directory + "/secret.key"))
        do {
            _ = try AppConfig.load(environment: .development, variables: ["DATA_DIR": directory])
            Issue.record("a damaged secret.key was accepted")
        } catch let error as ConfigError {
            #expect(error.problems.map(\.variable) == ["DATA_DIR"])
            #expect(error.description.contains("will not replace it"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/secret.key")) == damaged, "the file is left as it was")
    }
}
