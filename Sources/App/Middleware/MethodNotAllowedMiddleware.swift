import HeadshotCore
import NIOConcurrencyHelpers
import Vapor

/// A known path asked with a method it does not take answers 405 with `Allow` (RFC 9110 §15.5.6),
/// not 404: the client learns the path exists and what it may do there. Looked at are requests no route
/// matched, and requests a parameter route caught although a route with a constant in that place names
/// the path (`DELETE /photos/readiness` is not the deletion of a photo called "readiness").
///
/// Which routes could name a routed request's path more specifically is worked out once per route, on
/// its first request (`Rivals`); most parameter routes have none, and their requests pay nothing more.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    let routes: Routes
    private let rivals = Rivals()

    /// Per route: the routes more specific than it that some path matches together with it.
    final class Rivals: Sendable {
        private let known = NIOLockedValueBox<[ObjectIdentifier: [Route]]>([:])

        func of(_ route: Route, among routes: Routes) -> [Route] {
            if let found = known.withLockedValue({ $0[ObjectIdentifier(route)] }) { return found }
            let mine = MethodNotAllowedMiddleware.specificity(route.path)
            let found = routes.all.filter { other in
                other !== route && MethodNotAllowedMiddleware.overlap(route.path, other.path)
                    && mine.lexicographicallyPrecedes(MethodNotAllowedMiddleware.specificity(other.path))
            }
            known.withLockedValue { $0[ObjectIdentifier(route)] = found }
            return found
        }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let route = request.route, route.path.contains(where: { if case .constant = $0 { false } else { true } }),
           case let rivals = rivals.of(route, among: routes), !rivals.isEmpty {
            let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let (shape, allowed) = Self.resource(of: parts, in: rivals)
            if Self.specificity(route.path).lexicographicallyPrecedes(shape), !allowed.isEmpty {
                throw Abort(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                            reason: "\(request.method.rawValue) is not allowed here; this address takes \(allowed.joined(separator: ", ")).")
            }
        }
        do {
            return try await next.respond(to: request)
        } catch let abort as any AbortError where abort.status == .notFound && request.route == nil {
            let allowed = Self.methods(for: request.url.path, in: routes.all, except: request.method)
            guard !allowed.isEmpty else { throw abort }
            throw Abort(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                        reason: "\(request.method.rawValue) is not allowed here; this address takes \(allowed.joined(separator: ", ")).")
        }
    }

    /// The methods of the routes whose path matches `path`, in a stable order. Where routes of several
    /// shapes match (`/photos/readiness` and `/photos/{photoID}`), only the most specific shape counts, a
    /// constant segment beating a parameter as it does in the router: that is the resource the path names.
    static func methods(for path: String, in routes: [Route], except method: HTTPMethod) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return resource(of: parts, in: routes.filter { $0.method != method }).methods
    }

    /// The most specific shape of route matching `parts`, and the methods routes of that shape take.
    private static func resource(of parts: [String], in routes: [Route]) -> (shape: [Int], methods: [String]) {
        let matching = routes.filter { matches($0.path, parts) }
        guard let best = matching.map({ specificity($0.path) }).max(by: { $0.lexicographicallyPrecedes($1) }) else { return ([], []) }
        var found = Set<String>()
        for route in matching where specificity(route.path) == best {
            found.insert(route.method.rawValue)
            if route.method == .GET { found.insert(HTTPMethod.HEAD.rawValue) }
        }
        return (best, found.sorted())
    }

    /// Whether some path could match both shapes: their constants agree wherever both have one, and
    /// they are as long (or one takes any rest with `**`).
    static func overlap(_ a: [PathComponent], _ b: [PathComponent]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.catchall, _), (_, .catchall): return true
            case (.constant(let one), .constant(let other)): if one != other { return false }
            default: continue
            }
        }
        return a.count == b.count
    }

    /// A rank per segment: a constant 3, a parameter 2, `*` 1, `**` 0.
    static func specificity(_ components: [PathComponent]) -> [Int] {
        components.map {
            switch $0 {
            case .constant: 3
            case .parameter: 2
            case .anything: 1
            case .catchall: 0
            }
        }
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
