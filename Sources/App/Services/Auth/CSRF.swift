import Crypto
import Vapor

/// Cross-site request forgery protection for cookie-authenticated requests.
///
/// Each browser gets a random seed in an HttpOnly cookie; forms carry HMAC(seed) in `_csrf`, scripts send it
/// as `X-CSRF-Token`. Another site can make the browser send the cookie but cannot read it, so it cannot
/// compute the token. Bearer-authenticated API calls carry no ambient credentials and need no token.
public enum CSRF {
    public static let cookieName = "hs_csrf"
    public static let fieldName = "_csrf"
    public static let headerName = "X-CSRF-Token"

    private struct PendingSeedKey: StorageKey { typealias Value = String }

    /// The token to embed in this response's forms; creates the seed cookie if the browser has none.
    public static func token(for req: Request) -> String {
        let seed: String
        if let existing = req.cookies[cookieName]?.string, !existing.isEmpty {
            seed = existing
        } else if let pending = req.storage[PendingSeedKey.self] {
            seed = pending
        } else {
            seed = SecureToken.generate(prefix: "")
            req.storage[PendingSeedKey.self] = seed
        }
        return sign(seed, req: req)
    }

    static func isValid(_ presented: String?, for req: Request) -> Bool {
        guard let presented, let seed = req.cookies[cookieName]?.string, !seed.isEmpty else { return false }
        return Array(presented.utf8).secureCompare(to: Array(sign(seed, req: req).utf8))
    }

    static func sign(_ seed: String, req: Request) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(seed.utf8), using: req.application.secrets.key(for: "csrf"))
        return SecureToken.base64URL(Data(mac))
    }

    static func attachPendingSeed(_ req: Request, to response: Response) {
        guard let seed = req.storage[PendingSeedKey.self] else { return }
        response.cookies[cookieName] = HTTPCookies.Value(string: seed, path: "/", isSecure: req.config.isHTTPS,
                                                         isHTTPOnly: true, sameSite: .lax)
    }
}

/// Refuses state-changing requests without a valid CSRF token.
/// For pages every unsafe request is checked; for the API only those authenticated by the session cookie.
struct CSRFMiddleware: AsyncMiddleware {
    enum Mode { case pages, api }
    let mode: Mode
    /// How much of a form body may be read to find the token.
    static let formLimit = 64 * 1024

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            switch mode {
            case .pages:
                var presented = req.headers.first(name: CSRF.headerName)
                if presented == nil, req.content.contentType == .urlEncodedForm {
                    _ = try await req.body.collect(max: Self.formLimit).get()
                    presented = try? req.content.get(String.self, at: CSRF.fieldName)
                } else if presented == nil, req.headers.contentType?.type == "multipart" {
                    // File forms stream to disk and are never collected, so their token rides in the query.
                    presented = try? req.query.get(String.self, at: CSRF.fieldName)
                }
                try check(presented, req)
            case .api:
                if req.currentSession != nil, req.currentToken == nil {
                    try check(req.headers.first(name: CSRF.headerName), req)
                }
            }
        }
        let response = try await next.respond(to: req)
        CSRF.attachPendingSeed(req, to: response)
        return response
    }

    private func check(_ presented: String?, _ req: Request) throws {
        guard CSRF.isValid(presented, for: req) else {
            req.logger.notice("csrf token rejected")
            throw Abort(.forbidden, reason: "This form has expired or did not come from our site. Go back, reload the page and try again.")
        }
    }
}
