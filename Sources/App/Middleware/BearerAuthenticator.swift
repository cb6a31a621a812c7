import Fluent
import HeadshotCore
import Vapor

/// Authenticates API requests carrying `Authorization: Bearer hs_…`.
struct BearerAuthenticator: AsyncMiddleware {
    let clock: any WallClock

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization?.token {
            let now = clock.now()
            guard bearer.hasPrefix(APITokens.tokenPrefix),
                  let token = try await APIToken.withUser(hash: SecureToken.digest(bearer), on: req.db),
                  token.revokedAt == nil, token.expiresAt.map({ now < $0 }) ?? true
            else {
                // A wrong token is an error even on public endpoints, so a client learns its token is bad.
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""],
                            reason: "The API token is invalid, expired or revoked.")
            }
            let user = token.user
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                token.lastUsedAt = now
                try await token.save(on: req.db)
            }
            req.currentToken = token
            req.auth.login(user)
        }
        return try await next.respond(to: req)
    }
}
