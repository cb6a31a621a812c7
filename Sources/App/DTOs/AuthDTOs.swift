import HeadshotCore
import Vapor

struct SignUpRequest: Content {
    let email: String
    let password: String
    /// Optional: how previews name the customer (it can be set later on the account page).
    let name: String?
}

struct LogInRequest: Content {
    let email: String
    let password: String
    /// Where the browser goes afterwards (pages only; must be a local path).
    let next: String?
}

struct EmailRequest: Content {
    let email: String
}

struct TokenRequest: Content {
    let token: String
}

struct ResetPasswordRequest: Content {
    let token: String
    let password: String
}

struct ChangePasswordRequest: Content {
    let currentPassword: String
    let newPassword: String
    /// Keep the personal API tokens working (they are revoked by default with the password).
    let keepTokens: Bool?
}

struct MessageDTO: Content {
    let message: String
}

/// The answer to an API log-in: a bearer token, shown once.
struct LoginTokenDTO: Content {
    let token: String
    let expiresAt: Date?
    let user: UserDTO
}
