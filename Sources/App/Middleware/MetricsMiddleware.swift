import HeadshotCore
import Vapor

/// Counts requests and measures latency by route pattern (not raw path, which would explode the label set).
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: AppMetrics

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        var status: UInt = 500
        defer {
            let route = req.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
            metrics.recordRequest(method: req.method.rawValue, route: route, status: status,
                                                     duration: ContinuousClock.now - start)
        }
        do {
            let response = try await next.respond(to: req)
            status = response.status.code
            return response
        } catch let error as any AbortError {
            status = error.status.code
            throw error
        }
    }
}
