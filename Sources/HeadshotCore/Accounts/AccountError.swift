import Foundation

/// What can go wrong with an account action, in terms the edge turns into a page or JSON error.
package enum AccountError: DomainError, Equatable, Sendable {
    /// Field name → what is wrong with it.
    case invalidInput([String: String])
    /// Wrong email or password; deliberately does not say which.
    case invalidCredentials
    case throttled(retryAfter: Int)
    case emailNotVerified
    /// A reset or verification link that is unknown, used or expired.
    case invalidLink
    case wrongCurrentPassword
}

extension AccountError {
    package var kind: FailureKind {
        switch self {
        case .invalidInput: .invalid
        case .invalidCredentials, .wrongCurrentPassword: .unauthorized
        case .throttled(let seconds): .tooManyRequests(retryAfter: seconds)
        case .emailNotVerified: .forbidden
        case .invalidLink: .gone
        }
    }

    package var reason: String {
        switch self {
        case .invalidInput(let fields): fields.sorted(by: { $0.key < $1.key }).map(\.value).joined(separator: " ")
        case .invalidCredentials: "That email and password don't match an account. Check both and try again."
        case .throttled(let seconds): "Too many attempts. For your security, wait \(Self.describe(seconds)) and try again, or reset your password."
        case .emailNotVerified: "Please confirm your email address first: we've sent you a new confirmation link."
        case .invalidLink: "This link has expired or was already used. Request a new one."
        case .wrongCurrentPassword: "Your current password is not correct."
        }
    }

    package var code: String {
        switch self {
        case .invalidInput: "invalid_input"
        case .invalidCredentials: "invalid_credentials"
        case .throttled: "too_many_attempts"
        case .emailNotVerified: "email_not_verified"
        case .invalidLink: "invalid_link"
        case .wrongCurrentPassword: "wrong_current_password"
        }
    }

    package static func describe(_ seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\(Int((Double(seconds) / 60).rounded(.up))) minutes"
    }
}
