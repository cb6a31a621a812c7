import HeadshotCore
import Vapor

/// Gives every request an id that appears in every log line and in the `X-Request-ID` response header,
/// so a user's error page can be matched to the server's logs. A well-formed id from a proxy is kept.
/// Registered outside the error middleware, so error responses carry the id too. It also settles
/// the client's address: `X-Forwarded-For` counts only when TRUST_PROXY says proxies we run set it.
struct RequestIDMiddleware: AsyncMiddleware {
    /// How many proxies of ours are in front (0: trust no header).
    let proxyHops: Int

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let address = Self.clientAddress(forwardedFor: req.headers[.xForwardedFor], proxyHops: proxyHops) {
            req.clientIP = address
        }
        let incoming = req.headers.first(name: "X-Request-ID")
        let id = incoming.flatMap { Self.isWellFormed($0) ? $0 : nil } ?? UUID().uuidString.lowercased()
        req.requestID = id
        req.logger[metadataKey: "request-id"] = .string(id)
        let response: Response
        do { response = try await next.respond(to: req) }
        catch { response = AppErrorMiddleware.response(for: error, request: req) }
        response.headers.replaceOrAdd(name: "X-Request-ID", value: id)
        return response
    }

    /// The address our outermost proxy saw: each proxy appends the address it received the request
    /// from, so with N proxies that is the N-th entry from the right (several headers count as one
    /// list). Entries to its left were written by the client and prove nothing.
    static func clientAddress(forwardedFor headers: [String], proxyHops: Int) -> String? {
        guard proxyHops > 0 else { return nil }
        let entries = headers.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { return nil }
        return entries[max(0, entries.count - proxyHops)]
    }

    static func isWellFormed(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
