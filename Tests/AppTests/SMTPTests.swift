import Foundation
import Mail
import SMTPTestSupport
import NIOPosix
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The app's own mail (sign-up confirmation) reaching the SMTP test server; the client itself is
/// tested in MailTests.
@Suite("App mail over SMTP", .enabled(if: TestSMTP.available, "needs the SMTP server that make test starts"))
struct SMTPTests {
    private func received(subject: String) async throws -> [String: Any] { try await TestSMTP.received(subject: subject) }

    @Test func appMailFromSignUpReachesTheServer() async throws {
        try await withTestApp(services: TestSMTP.use) { app, _ in
            let address = "smtp-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            try await Browser(app).submit("/signup", ["email": address, "password": Fixtures.password])
            await app.mailQueue.drain()
            let record = try await received(subject: "Confirm your email for Headshot Studio")
            #expect((record["text"] as? String)?.contains("/verify-email?token=") == true)
        }
    }
}

/// The SMTP test server that `make test` starts (aiosmtpd, STARTTLS, login), which files each
/// message it receives as JSON in TEST_SMTP_MAILDIR.
enum TestSMTP {
    static let env = ProcessInfo.processInfo.environment
    static var available: Bool { SMTPTestServer.available }

    /// Makes the app send its mail to the test server (a services override, see `withTestApp`).
    static func use(_ overrides: inout AppServices.Overrides, in app: Application) {
        let settings = SMTPSettings(host: "localhost", port: Int(env["TEST_SMTP_PORT"]!)!, username: env["TEST_SMTP_USER"],
                                    password: env["TEST_SMTP_PASSWORD"], tls: .required, caFile: env["TEST_SMTP_CA"], heloName: "tests.local")
        overrides.mailer = SMTPMailer(settings: settings, group: app.eventLoopGroup)
    }

    /// The message the server received with this subject (and recipient, when given), waiting up to 5 s.
    static func received(subject: String, to recipient: String? = nil) async throws -> [String: Any] {
        try await SMTPTestServer.received(subject: subject, to: recipient)
    }
}
