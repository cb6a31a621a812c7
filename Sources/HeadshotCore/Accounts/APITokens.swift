import Foundation
import FluentKit

/// Personal, login and team API tokens: issued here, checked on each request by `BearerAuthenticator`.
package enum APITokens {
    /// Every token starts with this, so a leaked one is recognisable (and scanners can find it).
    package static let tokenPrefix = "hs_"
    package static let loginLifetime: TimeInterval = 30 * 24 * 3600

    /// A credential change: every token that acts as the user goes, whatever its kind (personal,
    /// API log-in, team, and any kind added later), except the kinds the user chose to keep.
    package static func revokeAll(of userID: UUID, keeping kept: Set<APIToken.Kind> = [], at now: Date, on db: any Database) async throws {
        var tokens = APIToken.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if !kept.isEmpty { tokens = tokens.filter(\.$kind !~ Array(kept)) }
        try await tokens.set(\.$revokedAt, to: now).update()
    }

    /// Creates a token and returns it with its one-time plaintext (only its digest is stored).
    package static func issue(for userID: UUID, kind: APIToken.Kind, name: String, expiresAt: Date?, at now: Date, on db: any Database,
                      team: UUID? = nil) async throws -> (APIToken, String) {
        let plaintext = SecureToken.generate(prefix: tokenPrefix)
        let token = APIToken(userID: userID, kind: kind, name: name, tokenHash: SecureToken.digest(plaintext),
                             tokenPrefix: String(plaintext.prefix(10)), at: now, expiresAt: expiresAt)
        token.teamID = team
        try await token.create(on: db)
        return (token, plaintext)
    }
}
