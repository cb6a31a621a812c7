import HeadshotCore
import Vapor

/// Per-request facts that middleware establishes and handlers read.
extension Request {
    private struct SessionKey: StorageKey { typealias Value = UserSession }
    private struct TokenKey: StorageKey { typealias Value = APIToken }
    private struct RequestIDKey: StorageKey { typealias Value = String }
    private struct ClientIPKey: StorageKey { typealias Value = String }

    /// The browser session the request was authenticated with, if any.
    package var currentSession: UserSession? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// The API token the request was authenticated with, if any.
    package var currentToken: APIToken? {
        get { storage[TokenKey.self] }
        set { storage[TokenKey.self] = newValue }
    }

    package var requestID: String {
        get { storage[RequestIDKey.self] ?? "-" }
        set { storage[RequestIDKey.self] = newValue }
    }

    package var currentUser: User? { auth.get(User.self) }

    package func requireUser() throws -> User {
        guard let user = currentUser else { throw Failure(.unauthorized, "Please log in to continue.") }
        return user
    }

    /// The user as the author of an audit event.
    package var actor: AuditActor {
        if let id = currentUser?.id { return .user(id, requestID: requestID) }
        return AuditActor(kind: .anonymous, requestID: requestID)
    }

    /// The client's address: the one `RequestIDMiddleware` settled (from `X-Forwarded-For` behind a
    /// trusted proxy), else the connection's peer.
    package internal(set) var clientIP: String {
        get { storage[ClientIPKey.self] ?? remoteAddress?.ipAddress ?? "unknown" }
        set { storage[ClientIPKey.self] = newValue }
    }

    /// Whether the connection comes from this machine and was not forwarded by a proxy (a proxy on the
    /// same host connects from loopback on behalf of anyone, and says so with `X-Forwarded-For`).
    var isFromLoopback: Bool {
        guard headers[.xForwardedFor].isEmpty, headers.first(name: "Forwarded") == nil,
              let peer = remoteAddress?.ipAddress else { return false }
        return peer == "::1" || peer.hasPrefix("127.") || peer.hasPrefix("::ffff:127.")
    }
}
