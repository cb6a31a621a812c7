import HeadshotCore
import NIOConcurrencyHelpers
import Vapor

/// Counts the requests whose handlers are running. A client that hangs up does not stop its
/// request's handler, and Vapor's server, once it has closed every connection, does not wait for
/// such handlers; on shutdown `InFlightDrain` waits for this count to reach zero before the
/// background services, the imaging engine and the databases go away under them.
final class InFlightRequests: Sendable {
    private let count = NIOLockedValueBox(0)

    var current: Int { count.withLockedValue { $0 } }

    func enter() { count.withLockedValue { $0 += 1 } }
    func leave() { count.withLockedValue { $0 -= 1 } }

    /// Waits until no handler runs, or `timeout` has passed; returns how many were still running.
    func drained(timeout: Duration = .seconds(10)) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return current
    }
}

/// The outermost middleware: every handler runs inside its count.
struct InFlightMiddleware: AsyncMiddleware {
    let requests: InFlightRequests

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        requests.enter()
        defer { requests.leave() }
        return try await next.respond(to: request)
    }
}

/// Registered after every other lifecycle handler of `configure` (so it runs before them on
/// shutdown, and before Fluent's): waits for the running handlers, 10 s at most.
struct InFlightDrain: LifecycleHandler {
    let requests: InFlightRequests

    func shutdownAsync(_ application: Application) async {
        let left = await requests.drained()
        if left > 0 { application.logger.warning("\(left) requests were still running 10 s after the server stopped") }
    }
}
