import Foundation
import HeadshotCore
import Vapor

/// A Server-Sent Events response that sends a state whenever it changes, for pages that watch
/// something finish (an order being made, a deletion). It looks once per `poll`, writes a keep-alive
/// comment between looks (so a client that left is found at once and the stream ends), ends when the
/// state is final or after `lifetime` (the browser reconnects after `retry`), and is always ended,
/// also on errors and shutdown. A look that fails (the database busy or restarting for a moment) is
/// logged and tried again at the next poll; the stream ends with the error after `maxFailures` in a row.
enum LiveEvents {
    static func response<State: Encodable & Equatable & Sendable>(
        event: String, poll: Duration, lifetime: TimeInterval, logger: Logger, onEnd: @escaping @Sendable () -> Void,
        next: @escaping @Sendable () async throws -> (state: State, final: Bool)?
    ) -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "text", subType: "event-stream")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(asyncStream: { writer in
            defer { onEnd() }
            do {
                try await stream(event: event, poll: poll, lifetime: lifetime, logger: logger, next: next, to: writer)
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    static let maxFailures = 3

    private static func stream<State: Encodable & Equatable & Sendable>(
        event: String, poll: Duration, lifetime: TimeInterval, logger: Logger,
        next: @Sendable () async throws -> (state: State, final: Bool)?, to writer: any AsyncBodyStreamWriter
    ) async throws {
        let encoder = WireNames.encoder(sorted: true)
        var last: State?
        var failures = 0
        let deadline = Date().addingTimeInterval(lifetime)
        // The browser waits this long before reconnecting when the stream ends early.
        try await writer.writeBuffer(ByteBuffer(string: "retry: 3000\n\n"))
        while Date() < deadline {
            let looked: (state: State, final: Bool)?
            do {
                looked = try await next()
                failures = 0
            } catch where !(error is CancellationError) {
                failures += 1
                logger.warning("live \(event) stream: look \(failures) of \(maxFailures) failed: \(String(reflecting: error))")
                if failures >= maxFailures { throw error }
                try await Task.sleep(for: poll)
                continue
            }
            guard let (state, final) = looked else { break }
            if state != last {
                let json = String(decoding: try encoder.encode(state), as: UTF8.self)
                try await writer.writeBuffer(ByteBuffer(string: "event: \(event)\ndata: \(json)\n\n"))
                last = state
            }
            if final { break }
            try await Task.sleep(for: poll)
            // Finds a client that has gone (the write fails) before the next look.
            try await writer.writeBuffer(ByteBuffer(string: ": keep-alive\n\n"))
        }
    }
}
