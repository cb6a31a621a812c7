import Vapor

/// A known path asked with a method it does not take answers 405 with `Allow` (RFC 9110 §15.5.6),
/// not 404: the client learns the path exists and what it may do there. Only requests no route
/// matched are looked at; everything else passes through untouched.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    let routes: Routes

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let abort as any AbortError where abort.status == .notFound && request.route == nil {
            let allowed = Self.methods(for: request.url.path, in: routes.all, except: request.method)
            guard !allowed.isEmpty else { throw abort }
            throw Abort(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                        reason: "\(request.method.rawValue) is not allowed here; this address takes \(allowed.joined(separator: ", ")).")
        }
    }

    /// The methods of the routes whose path matches `path`, in a stable order.
    static func methods(for path: String, in routes: [Route], except method: HTTPMethod) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var found = Set<String>()
        for route in routes where route.method != method && matches(route.path, parts) {
            found.insert(route.method.rawValue)
            if route.method == .GET { found.insert(HTTPMethod.HEAD.rawValue) }
        }
        return found.sorted()
    }

    private static func matches(_ components: [PathComponent], _ parts: [String]) -> Bool {
        for (index, component) in components.enumerated() {
            switch component {
            case .catchall: return parts.count > index
            case .constant(let text): if index >= parts.count || parts[index] != text { return false }
            case .parameter, .anything: if index >= parts.count { return false }
            }
        }
        return components.count == parts.count
    }
}
