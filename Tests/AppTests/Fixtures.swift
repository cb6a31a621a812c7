import Fluent
import Foundation
import Testing
import VaporTesting
@testable import App

/// Shortcuts for tests that need accounts and mail.
enum Fixtures {
    static let password = "correct horse battery staple"

    /// A confirmed account created directly in the database (one bcrypt hash, no mail).
    @discardableResult
    static func user(_ app: Application, email: String = "ada-\(UUID().uuidString.prefix(6))@example.com",
                     password: String = password, role: User.Role = .user, verified: Bool = true) async throws -> User {
        let user = User(email: email.lowercased(), passwordHash: try await app.passwordHashing.hash(password), role: role,
                        passwordChangedAt: app.clock.now())
        if verified { user.emailVerifiedAt = app.clock.now() }
        try await user.create(on: app.db)
        return user
    }

    /// Logs `browser` in through the real login form.
    static func logIn(_ browser: Browser, email: String, password: String = password) async throws {
        let response = try await browser.submit("/login", ["email": email, "password": password])
        #expect(response.status == .seeOther, "login failed: \(response.body.string.prefix(300))")
    }

    /// The mail delivered to an address, oldest first (after in-flight mail is delivered).
    static func mail(_ app: Application, to address: String) async throws -> [OutgoingMail] {
        await app.mailQueue.drain()
        return try await OutgoingMail.query(on: app.db).filter(\.$recipient == address).filter(\.$sentAt != nil).sort(\.$createdAt).all()
    }

    /// The token in the last link to `path` mailed to `address`.
    static func mailedToken(_ app: Application, to address: String, path: String) async throws -> String {
        guard let message = try await mail(app, to: address).last else { throw TestFailure("no mail to \(address)") }
        return try Browser.extract(NSRegularExpression.escapedPattern(for: path) + #"\?token=([A-Za-z0-9_\-]+)"#, from: message.textBody)
    }
}
