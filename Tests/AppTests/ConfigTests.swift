import Foundation
import Testing
import Vapor
@testable import App

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

    @Test func productionRefusesToStartWithoutSecretHTTPSAndMail() {
        #expect(Set(problems(.production, [:])) == ["BASE_URL", "SECRET_KEY", "SMTP_HOST", "PAYMENTS"])
        #expect(problems(.production, ["BASE_URL": "http://h.example.com", "SECRET_KEY": String(repeating: "ab", count: 32), "SMTP_HOST": "mail",
                                       "PAYMENTS": "sandbox", "ALLOW_SANDBOX_IN_PRODUCTION": "true"]) == ["BASE_URL"])
    }

    @Test func eachBadValueIsNamedWithItsFix() throws {
        let bad = problems(.development, [
            "DATABASE_URL": "mysql://x", "SECRET_KEY": "tooshort", "BASE_URL": "ftp://x", "SMTP_HOST": "mail",
            "SMTP_PORT": "99999", "SMTP_TLS": "sometimes", "TRUST_PROXY": "maybe", "MAIL_FROM": "nobody",
            "GENERATOR": "dalle", "QUEUE_LEASE_SECONDS": "1",
        ])
        #expect(Set(bad) == ["DATABASE_URL", "SECRET_KEY", "BASE_URL", "SMTP_PORT", "SMTP_TLS", "TRUST_PROXY", "MAIL_FROM",
                             "GENERATOR", "QUEUE_LEASE_SECONDS"])
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
}
