import Foundation

/// A request for a new API token: its name and how many days it lives.
package struct CreateTokenRequest: Codable, Sendable {
    package let name: String
    /// 1–365; omitted means 90. Every token expires.
    package let expiresInDays: Int?

    package init(name: String, expiresInDays: Int?) {
        self.name = name
        self.expiresInDays = expiresInDays
    }

    package static let defaultDays = 90
    package static let maximumDays = 365

    package func validated() throws -> (name: String, days: Int) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(trimmed.count) else {
            throw AccountError.invalidInput(["name": "Give the token a name of 1–80 characters."])
        }
        let days = expiresInDays ?? Self.defaultDays
        guard (1...Self.maximumDays).contains(days) else {
            throw AccountError.invalidInput(["expires_in_days": "Choose an expiry between 1 and \(Self.maximumDays) days."])
        }
        return (trimmed, days)
    }
}
