import Fluent
import HeadshotCore
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
            if let session = try await UserSession.withUser(hash: SecureToken.digest(token), on: req.db),
               Sessions.isUsable(session, at: now) {
                let user = session.user
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
