import Foundation

/// Hashes and checks passwords (bcrypt, off the event loops, in the edge's `PasswordHashing`).
package protocol PasswordHashingPort: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
    /// Spends the same time as a real check, so an unknown email cannot be told apart by timing.
    func burnVerification() async
}

/// What a password must be.
package enum PasswordRules {
    package static let minimumLength = 12
    package static let maximumLength = 128

    /// What is wrong with a proposed password, in words for the person choosing it, or nil.
    package static func problem(with password: String, email: String? = nil) -> String? {
        if password.count < minimumLength {
            return "Use at least \(minimumLength) characters. A short phrase of unrelated words is easy to remember and hard to guess."
        }
        if password.count > maximumLength {
            return "Use at most \(maximumLength) characters."
        }
        if let email, password.lowercased() == email.lowercased() {
            return "Choose a password that is different from your email address."
        }
        if Set(password).count < 4 {
            return "That password repeats too few characters; choose something harder to guess."
        }
        return nil
    }
}
