import HeadshotCore
import Vapor

/// The access log line of every request ("GET /orders/…"), with no secret in it. A path may carry
/// one: an invitation's `/join/hsi_…` works for up to 30 days, so whoever reads the log could join.
/// Secrets are written as `[redacted]`: a route parameter named as a secret (`token`, wherever a
/// route puts it), and, for paths no route matched, any segment shaped like one of our tokens
/// (`hs…_`). Query strings are never logged (signed links carry their signature there).
struct AccessLogMiddleware: AsyncMiddleware {
    /// Route parameters that hold a secret.
    static let secretParameters: Set<String> = ["token"]
    static let redacted = "[redacted]"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        req.logger.info("\(req.method) \(Self.loggedPath(req.url.path, route: req.route?.path ?? []))")
        return try await next.respond(to: req)
    }

    /// The path as it may be logged.
    static func loggedPath(_ raw: String, route: [PathComponent]) -> String {
        let path = raw.removingPercentEncoding ?? raw
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // segments[0] is the empty string before the leading "/": route component i is segment i + 1.
        for (index, component) in route.enumerated() where index + 1 < segments.count {
            if case .parameter(let name) = component, secretParameters.contains(name) { segments[index + 1] = redacted }
            if case .catchall = component { break }
        }
        for index in segments.indices where looksLikeToken(segments[index]) { segments[index] = redacted }
        return segments.joined(separator: "/")
    }

    /// `hs_…`, `hsi_…`: the prefixes our tokens are made with (`SecureToken.generate`).
    static func looksLikeToken(_ segment: String) -> Bool {
        guard segment.hasPrefix("hs"), let underscore = segment.firstIndex(of: "_") else { return false }
        let kind = segment[segment.index(segment.startIndex, offsetBy: 2)..<underscore]
        return kind.count <= 3 && kind.allSatisfy(\.isLetter) && segment.distance(from: underscore, to: segment.endIndex) > 8
    }
}
