import Fluent
import Foundation
import Vapor

/// The order's live status for the order page: a Server-Sent Events stream (`/orders/{id}/events`)
/// that sends the state, progress and ETA whenever they change and ends when the order is done.
/// The page falls back to polling the JSON twin (`/api/v1/orders/{id}/status`).
struct OrderStatusController: RouteCollection {
    let services: AppServices

    /// How often the stream looks at the order, and how long one stream lives (the browser reconnects).
    static let poll: Duration = .seconds(1)
    static let lifetime: TimeInterval = 600

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.order(.key, .events), use: events)
    }

    @Sendable func events(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let orderID = try order.requireID()
        let database = services.database
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "text", subType: "event-stream")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(asyncStream: { writer in
            // The stream must always be ended, also when the client left or the server stops.
            do {
                try await Self.stream(orderID, database: database, to: writer)
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    private static func stream(_ orderID: UUID, database: DatabaseProvider, to writer: any AsyncBodyStreamWriter) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var last: OrderProgress?
        let deadline = Date().addingTimeInterval(Self.lifetime)
        // The browser waits this long before reconnecting when the stream ends early.
        try await writer.writeBuffer(ByteBuffer(string: "retry: 3000\n\n"))
        while Date() < deadline {
            guard let current = try await Order.find(orderID, on: try database()) else { break }
            let progress = try await OrderProgress.load(current, on: try database())
            if progress != last {
                let json = String(decoding: try encoder.encode(progress), as: UTF8.self)
                try await writer.writeBuffer(ByteBuffer(string: "event: status\ndata: \(json)\n\n"))
                last = progress
            }
            if progress.isFinal { break }
            try await Task.sleep(for: Self.poll)
        }
    }
}
