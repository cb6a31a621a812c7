import Fluent
import Vapor

/// Authenticates a request from its session cookie.
struct SessionAuthenticator: AsyncMiddleware {
    let sessions: SessionManager

    init(services: AppServices) {
        sessions = SessionManager(services: services)
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var invalidCookie = false
        if let token = req.cookies[SessionManager.cookieName]?.string, !token.isEmpty {
            let now = sessions.clock.now()
            // The session and its user in one read (a join, not an eager load's second query): every page pays it.
            if let session = try await UserSession.query(on: req.db).join(User.self, on: \UserSession.$user.$id == \User.$id)
                .filter(\.$tokenHash == SecureToken.digest(token)).first(),
               SessionManager.isUsable(session, at: now) {
                // Read before any save: saving replaces what the model was decoded from, the joined user included.
                let user = try session.joined(User.self)
                session.$user.value = user
                if now.timeIntervalSince(session.lastSeenAt) > SessionManager.touchInterval {
                    session.lastSeenAt = now
                    try await session.save(on: req.db)
                }
                req.currentSession = session
                req.auth.login(user)
            } else {
                invalidCookie = true
            }
        }
        let response = try await next.respond(to: req)
        // A dead cookie is cleared, unless this very request signed in and set a fresh one.
        if invalidCookie, response.cookies[SessionManager.cookieName] == nil {
            response.cookies[SessionManager.cookieName] = sessions.expiredCookie()
        }
        return response
    }
}
