import Fluent
import Vapor

/// Server-side browser sessions: a random token in an HttpOnly cookie, its digest in the database.
public enum SessionManager {
    public static let cookieName = "hs_session"
    public static let idleTimeout: TimeInterval = 2 * 3600
    public static let absoluteTimeout: TimeInterval = 7 * 24 * 3600
    /// last_seen_at is written at most this often, so page views do not each cost a database write.
    static let touchInterval: TimeInterval = 60

    /// Signs `user` in with a brand-new session id; any session the request came with is revoked
    /// (rotation defeats session fixation).
    public static func start(for user: User, on req: Request, response: Response) async throws {
        let now = req.now
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
        response.cookies[cookieName] = cookie(token, expires: now.addingTimeInterval(absoluteTimeout), req: req)
    }

    public static func end(on req: Request, response: Response) async throws {
        if let session = req.currentSession {
            session.revokedAt = req.now
            try await session.save(on: req.db)
        }
        req.auth.logout(User.self)
        response.cookies[cookieName] = expiredCookie(req: req)
    }

    /// Revokes every browser session and API login of a user (password change, reset), except `keeping`.
    public static func revokeAll(userID: UUID, keeping: UUID? = nil, at now: Date, on db: any Database) async throws {
        var sessions = UserSession.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if let keeping { sessions = sessions.filter(\.$id != keeping) }
        try await sessions.set(\.$revokedAt, to: now).update()
        try await APIToken.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == .login)
            .filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }

    /// Whether a stored session may still be used at `now`.
    public static func isUsable(_ session: UserSession, at now: Date) -> Bool {
        session.revokedAt == nil
            && now < session.lastSeenAt.addingTimeInterval(idleTimeout)
            && now < session.createdAt.addingTimeInterval(absoluteTimeout)
    }

    static func cookie(_ value: String, expires: Date, req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: expires, path: "/", isSecure: req.config.isHTTPS,
                          isHTTPOnly: true, sameSite: .lax)
    }

    static func expiredCookie(req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                          isSecure: req.config.isHTTPS, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Authenticates a request from its session cookie.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var invalidCookie = false
        if let token = req.cookies[SessionManager.cookieName]?.string, !token.isEmpty {
            let now = req.now
            if let session = try await UserSession.query(on: req.db)
                .filter(\.$tokenHash == SecureToken.digest(token)).with(\.$user).first(),
               SessionManager.isUsable(session, at: now) {
                if now.timeIntervalSince(session.lastSeenAt) > SessionManager.touchInterval {
                    session.lastSeenAt = now
                    try await session.save(on: req.db)
                }
                req.currentSession = session
                req.auth.login(session.user)
            } else {
                invalidCookie = true
            }
        }
        let response = try await next.respond(to: req)
        // A dead cookie is cleared, unless this very request signed in and set a fresh one.
        if invalidCookie, response.cookies[SessionManager.cookieName] == nil {
            response.cookies[SessionManager.cookieName] = SessionManager.expiredCookie(req: req)
        }
        return response
    }
}
