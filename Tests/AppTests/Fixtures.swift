import Fluent
import Foundation
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The fixtures only a whole app has (the browser, mailed links); the rest are `HeadshotTestSupport`'s.
extension Fixtures {
    /// Logs `browser` in through the real login form.
    static func logIn(_ browser: Browser, email: String, password: String = password) async throws {
        let response = try await browser.submit("/login", ["email": email, "password": password])
        #expect(response.status == .seeOther, "login failed: \(response.body.string.prefix(300))")
    }

    /// The token in the last link to `path` mailed to `address`.
    static func mailedToken(_ app: Application, to address: String, path: String) async throws -> String {
        guard let message = try await mail(app, to: address).last else { throw TestFailure("no mail to \(address)") }
        return try Browser.extract(NSRegularExpression.escapedPattern(for: path) + #"\?token=([A-Za-z0-9_\-]+)"#, from: message.textBody)
    }
}
