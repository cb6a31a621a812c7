import Fluent
import Vapor

/// Authenticates API requests carrying `Authorization: Bearer hs_…`.
struct BearerAuthenticator: AsyncMiddleware {
    static let tokenPrefix = "hs_"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization?.token {
            let now = req.now
            guard bearer.hasPrefix(Self.tokenPrefix),
                  let token = try await APIToken.query(on: req.db).filter(\.$tokenHash == SecureToken.digest(bearer))
                      .with(\.$user).first(),
                  token.revokedAt == nil, token.expiresAt.map({ now < $0 }) ?? true
            else {
                // A wrong token is an error even on public endpoints, so a client learns its token is bad.
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""],
                            reason: "The API token is invalid, expired or revoked.")
            }
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                token.lastUsedAt = now
                try await token.save(on: req.db)
            }
            req.currentToken = token
            req.auth.login(token.user)
        }
        return try await next.respond(to: req)
    }
}

enum APITokens {
    static let loginLifetime: TimeInterval = 30 * 24 * 3600

    /// Creates a token and returns it with its one-time plaintext (only its digest is stored).
    static func issue(for userID: UUID, kind: APIToken.Kind, name: String, expiresAt: Date?, on req: Request) async throws -> (APIToken, String) {
        let plaintext = SecureToken.generate(prefix: BearerAuthenticator.tokenPrefix)
        let token = APIToken(userID: userID, kind: kind, name: name, tokenHash: SecureToken.digest(plaintext),
                             tokenPrefix: String(plaintext.prefix(10)), at: req.now, expiresAt: expiresAt)
        try await token.create(on: req.db)
        return (token, plaintext)
    }
}
