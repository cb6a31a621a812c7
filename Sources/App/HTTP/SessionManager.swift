import Fluent
import HeadshotCore
import Vapor

/// Server-side browser sessions: a random token in an HttpOnly cookie, its digest in the database (the
/// rules of when one may be used and when all are revoked are the core's `Sessions`).
package struct SessionManager: Sendable {
    package static let cookieName = "hs_session"
    /// last_seen_at is written at most this often, so page views do not each cost a database write.
    static let touchInterval: TimeInterval = 60

    let clock: any WallClock
    /// Cookies carry `Secure` when the site is served over HTTPS.
    let secureCookies: Bool

    init(services: AppServices) {
        clock = services.clock
        secureCookies = services.config.isHTTPS
    }

    /// Signs `user` in with a brand-new session id; any session the request came with is revoked
    /// (rotation defeats session fixation).
    package func start(for user: User, on req: Request, response: Response) async throws {
        let now = clock.now()
        if let previous = req.currentSession {
            previous.revokedAt = now
            try await previous.save(on: req.db)
        }
        let token = SecureToken.generate(prefix: "")
        let session = UserSession(userID: try user.requireID(), tokenHash: SecureToken.digest(token), at: now,
                                  ip: req.clientIP, userAgent: req.headers.first(name: .userAgent))
        try await session.create(on: req.db)
        req.currentSession = session
        req.auth.login(user)
        CSRF.rotate(for: req)
        response.cookies[Self.cookieName] = cookie(token, expires: now.addingTimeInterval(Sessions.absoluteTimeout))
    }

    package func end(on req: Request, response: Response) async throws {
        if let session = req.currentSession {
            session.revokedAt = clock.now()
            try await session.save(on: req.db)
        }
        req.auth.logout(User.self)
        CSRF.rotate(for: req)
        response.cookies[Self.cookieName] = expiredCookie()
    }

    func cookie(_ value: String, expires: Date) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: expires, path: "/", isSecure: secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }

    func expiredCookie() -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                          isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}
