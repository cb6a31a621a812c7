import HeadshotCore
import Vapor

/// Refuses state-changing requests without a valid CSRF token.
/// For pages every unsafe request is checked; for the API only those authenticated by the session cookie.
struct CSRFMiddleware: AsyncMiddleware {
    enum Mode { case pages, api }
    let mode: Mode
    let signer: CSRF.Signer

    init(mode: Mode, services: AppServices) {
        self.mode = mode
        signer = CSRF.Signer(services: services)
    }
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
        return try await next.respond(to: req)
    }

    private func check(_ presented: String?, _ req: Request) throws {
        guard CSRF.isValid(presented, for: req, signer: signer) else {
            req.logger.notice("csrf token rejected")
            throw Failure(.forbidden, "This form has expired or did not come from our site. Go back, reload the page and try again.")
        }
    }
}

/// Hands every request the CSRF signer, so any page (error pages included) can put a token in its
/// forms, and sets the seed cookie on the way out when a page made one. Registered outside the error
/// middleware, so an error page's forms work too.
struct CSRFTokenMiddleware: AsyncMiddleware {
    let signer: CSRF.Signer

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        CSRF.use(signer, for: req)
        let response = try await next.respond(to: req)
        CSRF.attachPendingSeed(req, to: response, signer: signer)
        return response
    }
}
