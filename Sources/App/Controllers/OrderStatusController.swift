import Fluent
import Foundation
import HeadshotCore
import NIOConcurrencyHelpers
import SiteRoutes
import Vapor

/// The order's live status for the order page: a Server-Sent Events stream (`/orders/{id}/events`)
/// that sends the state, progress and ETA whenever they change and ends when the order is done.
/// The page falls back to polling the JSON twin (`/api/v1/orders/{id}/status`).
///
/// A stream costs a database read a second, so it lives only while someone listens: a keep-alive
/// comment each tick finds a closed connection at once and ends the stream; an order that cannot
/// change on its own (a draft, a finished order) gets one event and the stream ends; and one user
/// holds at most `perUser` streams in a process.
struct OrderStatusController: RouteCollection {
    let services: AppServices
    let open = OpenStreams()

    /// How often the stream looks at the order, and how long one stream lives (the browser reconnects).
    static let poll: Duration = .seconds(1)
    static let lifetime: TimeInterval = 600
    /// Streams one user may hold open at once (a few tabs); more get 429.
    static let perUser = 4

    /// Streams open per user in this process.
    final class OpenStreams: Sendable {
        private let counts = NIOLockedValueBox<[UUID: Int]>([:])

        /// Takes a slot for `user`, or returns false when they hold `limit` already.
        func enter(_ user: UUID, limit: Int) -> Bool {
            counts.withLockedValue { counts in
                guard counts[user, default: 0] < limit else { return false }
                counts[user, default: 0] += 1
                return true
            }
        }

        func leave(_ user: UUID) {
            counts.withLockedValue { counts in
                counts[user, default: 1] -= 1
                if counts[user] == 0 { counts.removeValue(forKey: user) }
            }
        }

        var total: Int { counts.withLockedValue { $0.values.reduce(0, +) } }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.order(.key, .events), use: events)
    }

    @Sendable func events(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let orderID = try order.requireID(), userID = try req.requireUser().requireID()
        guard open.enter(userID, limit: Self.perUser) else {
            throw Failure(.tooManyRequests(retryAfter: 30), "You have this order open in too many tabs; close some and reload.", code: "too_many_streams")
        }
        let (database, open, metrics) = (services.database, self.open, services.metrics)
        metrics.setLiveStreams(open.total)
        return LiveEvents.response(event: "status", poll: Self.poll, lifetime: Self.lifetime, logger: req.logger, onEnd: {
            open.leave(userID)
            metrics.setLiveStreams(open.total)
        }) { () async throws -> (state: OrderProgress, final: Bool)? in
            guard let current = try await Order.find(orderID, on: try database()) else { return nil }
            let progress = try await OrderProgress.load(current, on: try database())
            // A draft changes only when its owner acts on the page, which reloads it.
            return (progress, progress.isFinal || current.status == .draft)
        }
    }
}
