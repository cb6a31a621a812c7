import Vapor

/// Gives every request an id that appears in every log line and in the `X-Request-ID` response header,
/// so a user's error page can be matched to the server's logs. A well-formed id from a proxy is kept.
/// Registered outside the error middleware, so error responses carry the id too. It also settles
/// the client's address: `X-Forwarded-For` counts only when TRUST_PROXY says a proxy we run sets it.
struct RequestIDMiddleware: AsyncMiddleware {
    let trustProxy: Bool

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if trustProxy, let forwarded = req.headers.first(name: "X-Forwarded-For")?.split(separator: ",").first {
            req.clientIP = forwarded.trimmingCharacters(in: .whitespaces)
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

    static func isWellFormed(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
