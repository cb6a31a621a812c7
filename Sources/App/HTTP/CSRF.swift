import Crypto
import HeadshotCore
import Vapor

/// Cross-site request forgery protection for cookie-authenticated requests.
///
/// Each browser gets a random seed in an HttpOnly cookie; forms carry HMAC(seed, session) in `_csrf`,
/// scripts send it as `X-CSRF-Token`. Another site can make the browser send the cookie but cannot read
/// it, so it cannot compute the token. The token is bound to the signed-in session (a token from before
/// log-in, or from another account, is refused), the seed is replaced at log-in, and over HTTPS the
/// cookie carries the `__Host-` prefix so no subdomain can plant one. Bearer-authenticated API calls
/// carry no ambient credentials and need no token.
package enum CSRF {
    package static let fieldName = "_csrf"
    package static let headerName = "X-CSRF-Token"

    private struct PendingSeedKey: StorageKey { typealias Value = String }
    private struct SignerKey: StorageKey { typealias Value = Signer }

    /// Signs seeds with the key derived for CSRF; `CSRFMiddleware` hands it to each request it guards.
    struct Signer: Sendable {
        let key: SymmetricKey
        let secureCookies: Bool

        init(services: AppServices) {
            key = services.secrets.key(for: "csrf")
            secureCookies = services.config.isHTTPS
        }

        /// `__Host-` cookies must be Secure, so plain-HTTP development keeps the bare name.
        var cookieName: String { secureCookies ? "__Host-hs_csrf" : "hs_csrf" }

        /// The token for `seed` in the request's session (none when signed out).
        func sign(_ seed: String, for req: Request) -> String {
            let session = req.currentSession?.id?.uuidString ?? "signed-out"
            return SecureToken.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data((seed + "\n" + session).utf8), using: key)))
        }
    }

    static func use(_ signer: Signer, for req: Request) {
        req.storage[SignerKey.self] = signer
    }

    /// The token to embed in this response's forms; creates the seed cookie if the browser has none.
    /// Empty if `CSRFTokenMiddleware` did not run: a form there could not be checked anyway.
    package static func token(for req: Request) -> String {
        guard let signer = req.storage[SignerKey.self] else { return "" }
        let seed: String
        if let pending = req.storage[PendingSeedKey.self] {
            seed = pending
        } else if let existing = req.cookies[signer.cookieName]?.string, !existing.isEmpty {
            seed = existing
        } else {
            seed = SecureToken.generate(prefix: "")
            req.storage[PendingSeedKey.self] = seed
        }
        return signer.sign(seed, for: req)
    }

    /// Replaces the browser's seed (at log-in and log-out), so no token handed out before still works.
    static func rotate(for req: Request) {
        req.storage[PendingSeedKey.self] = SecureToken.generate(prefix: "")
    }

    static func isValid(_ presented: String?, for req: Request, signer: Signer) -> Bool {
        guard let presented, let seed = req.cookies[signer.cookieName]?.string, !seed.isEmpty else { return false }
        return Array(presented.utf8).isConstantTimeEqual(to: Array(signer.sign(seed, for: req).utf8))
    }

    static func attachPendingSeed(_ req: Request, to response: Response, signer: Signer) {
        guard let seed = req.storage[PendingSeedKey.self] else { return }
        response.cookies[signer.cookieName] = HTTPCookies.Value(string: seed, path: "/", isSecure: signer.secureCookies,
                                                                isHTTPOnly: true, sameSite: .lax)
    }
}
