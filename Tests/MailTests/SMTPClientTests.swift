import Foundation
import Mail
import NIOPosix
import SMTPTestSupport
import Testing

/// Delivery through a real SMTP server (aiosmtpd, started by `make test`) with STARTTLS and authentication.
@Suite("SMTP client", .enabled(if: SMTPTestServer.available, "needs the SMTP server that make test starts"))
struct SMTPClientTests {
    let env = ProcessInfo.processInfo.environment

    private func settings(port: String, password: String? = nil, tls: SMTPSettings.TLSMode = .required) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: Int(env[port]!)!, username: env["TEST_SMTP_USER"],
                     password: password ?? env["TEST_SMTP_PASSWORD"], tls: tls, caFile: env["TEST_SMTP_CA"], heloName: "tests.local")
    }

    private func received(subject: String) async throws -> [String: Any] { try await SMTPTestServer.received(subject: subject) }

    // The SMTP server resolves "localhost" in its certificate; NIOSSL checks it against the host we dial.
    @Test(arguments: ["TEST_SMTP_PORT", "TEST_SMTP_LOGIN_PORT"])
    func deliversOverStartTLSWithAuthentication(port: String) async throws {
        var config = settings(port: port)
        config.host = "localhost"
        let mailer = SMTPMailer(settings: config, group: MultiThreadedEventLoopGroup.singleton)
        let subject = "Grüße from the test suite \(UUID().uuidString.prefix(8))"
        let text = "Line one\n.line starting with a dot\nhttps://example.com/verify?token=abc"
        try await mailer.send(MailMessage(to: "ada@example.com", subject: subject, text: text), from: "Headshot Studio <no-reply@example.com>")
        let record = try await received(subject: subject)
        #expect(record["tls"] as? Bool == true)
        #expect(record["authenticated"] as? Bool == true)
        #expect(record["from"] as? String == "no-reply@example.com")
        #expect(record["to"] as? [String] == ["ada@example.com"])
        #expect((record["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines) == text)
    }

    @Test func wrongPasswordIsATypedError() async throws {
        var config = settings(port: "TEST_SMTP_PORT", password: "wrong")
        config.host = "localhost"
        let mailer = SMTPMailer(settings: config, group: MultiThreadedEventLoopGroup.singleton)
        do {
            try await mailer.send(MailMessage(to: "ada@example.com", subject: "nope", text: "x"), from: "no-reply@example.com")
            Issue.record("a wrong password must not deliver")
        } catch MailError.unexpectedReply(let command, let code, _) {
            #expect(command == "AUTH PLAIN" && code == 535)
        }
    }

    @Test func untrustedCertificateIsRefused() async throws {
        var config = settings(port: "TEST_SMTP_PORT")
        config.host = "localhost"
        config.caFile = nil
        let mailer = SMTPMailer(settings: config, group: MultiThreadedEventLoopGroup.singleton)
        do {
            try await mailer.send(MailMessage(to: "ada@example.com", subject: "untrusted", text: "x"), from: "no-reply@example.com")
            Issue.record("an untrusted certificate must not be accepted")
        } catch MailError.connectionFailed(let detail) {
            #expect(!detail.isEmpty, "a refused handshake is a connection failure, not a timeout")
        }
    }
}
