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

    // A relay named by its address (SMTP_HOST=10.0.0.5): no SNI, the certificate's IP address is checked.
    @Test func deliversOverStartTLSToARelayNamedByItsIPAddress() async throws {
        let mailer = SMTPMailer(settings: settings(port: "TEST_SMTP_PORT"), group: MultiThreadedEventLoopGroup.singleton)
        let subject = "By address \(UUID().uuidString.prefix(8))"
        try await mailer.send(MailMessage(to: "ada@example.com", subject: subject, text: "x"), from: "no-reply@example.com")
        let record = try await received(subject: subject)
        #expect(record["tls"] as? Bool == true && record["authenticated"] as? Bool == true)
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

    /// A relay that offers no STARTTLS: in the default and the opportunistic mode the password is never
    /// sent (nothing is delivered); only an explicit SMTP_TLS=none authenticates in clear.
    @Test func passwordIsNeverSentInClearUnlessTheOperatorSaysSo() async throws {
        let subject = "clear-text \(UUID().uuidString.prefix(8))"
        for mode in [SMTPSettings.TLSMode.opportunistic, .required] {
            let mailer = SMTPMailer(settings: settings(port: "TEST_SMTP_PLAIN_PORT", tls: mode), group: MultiThreadedEventLoopGroup.singleton)
            await #expect(throws: MailError.self) {
                try await mailer.send(MailMessage(to: "ada@example.com", subject: subject, text: "x"), from: "no-reply@example.com")
            }
        }
        let refused = SMTPMailer(settings: settings(port: "TEST_SMTP_PLAIN_PORT", tls: .opportunistic), group: MultiThreadedEventLoopGroup.singleton)
        do {
            try await refused.send(MailMessage(to: "ada@example.com", subject: subject, text: "x"), from: "no-reply@example.com")
        } catch MailError.plaintextAuthenticationRefused {
        } catch {
            Issue.record("expected the clear-text refusal, got \(error)")
        }

        var anonymous = settings(port: "TEST_SMTP_PLAIN_PORT", tls: .opportunistic)
        anonymous.username = nil
        anonymous.password = nil
        let plainSubject = "no credentials \(UUID().uuidString.prefix(8))"
        try await SMTPMailer(settings: anonymous, group: MultiThreadedEventLoopGroup.singleton)
            .send(MailMessage(to: "ada@example.com", subject: plainSubject, text: "x"), from: "no-reply@example.com")
        #expect(try await received(subject: plainSubject)["authenticated"] as? Bool != true, "no password was offered")

        let explicit = "explicit none \(UUID().uuidString.prefix(8))"
        try await SMTPMailer(settings: settings(port: "TEST_SMTP_PLAIN_PORT", tls: .none), group: MultiThreadedEventLoopGroup.singleton)
            .send(MailMessage(to: "ada@example.com", subject: explicit, text: "x"), from: "no-reply@example.com")
        let record = try await received(subject: explicit)
        #expect(record["authenticated"] as? Bool == true && record["tls"] as? Bool == false)
        await #expect(throws: (any Error).self) { try await received(subject: subject) }
    }
}
