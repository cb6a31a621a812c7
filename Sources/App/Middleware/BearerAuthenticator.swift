import Fluent
import Vapor

/// Authenticates API requests carrying `Authorization: Bearer hs_…`.
struct BearerAuthenticator: AsyncMiddleware {
    let clock: any WallClock

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization?.token {
            let now = clock.now()
            // The token and its user in one read (a join, not an eager load's second query): every API call pays it.
            guard bearer.hasPrefix(APITokens.tokenPrefix),
                  let token = try await APIToken.query(on: req.db).join(User.self, on: \APIToken.$user.$id == \User.$id)
                      .filter(\.$tokenHash == SecureToken.digest(bearer)).first(),
                  token.revokedAt == nil, token.expiresAt.map({ now < $0 }) ?? true
            else {
                // A wrong token is an error even on public endpoints, so a client learns its token is bad.
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""],
                            reason: "The API token is invalid, expired or revoked.")
            }
            // Read before any save: saving replaces what the model was decoded from, the joined user included.
            let user = try token.joined(User.self)
            token.$user.value = user
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
