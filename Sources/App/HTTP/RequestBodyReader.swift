import HeadshotCore
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Reads a streamed request body chunk by chunk through Vapor's callback API (`drain`), each chunk
/// handled before the next is read (back-pressure). Vapor 4's AsyncSequence over the body can hit a
/// `preconditionFailure` in its producer state machine under load (vapor/vapor#3153), which takes the
/// whole process down; it did so once in our suite. The callback path has no such state machine.
enum RequestBodyReader {
    /// After a chunk fails (a file over the limit, say), the rest of the body is read and thrown
    /// away, up to this much, while the error answer goes out. A client such as a browser reads
    /// the answer only once it has sent its whole body, and Vapor stops reading a connection for
    /// good once a body chunk is refused, which would leave that client hanging until it times
    /// out. Past this much the server stops reading: a client still sending is not worth the
    /// bandwidth.
    static let discardLimit = 256 << 20

    static func forEach(_ req: Request, _ handle: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws {
        let eventLoop = req.eventLoop
        let outcome = NIOLockedValueBox<(CheckedContinuation<Void, any Error>?, (any Error)?)>((nil, nil))
        let discarded = NIOLockedValueBox(0)
        @Sendable func finish(_ error: (any Error)?) {
            let continuation = outcome.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
                defer { state.0 = nil }
                if state.1 == nil { state.1 = error }
                return state.0
            }
            if let error { continuation?.resume(throwing: error) } else { continuation?.resume() }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            outcome.withLockedValue { $0.0 = continuation }
            req.body.drain { part in
                if let failure = outcome.withLockedValue({ $0.0 == nil ? ($0.1 ?? UploadError.noFile) : nil }) {
                    guard case .buffer(let buffer) = part else { return eventLoop.makeSucceededVoidFuture() }
                    let total = discarded.withLockedValue { $0 += buffer.readableBytes; return $0 }
                    return total <= discardLimit ? eventLoop.makeSucceededVoidFuture() : eventLoop.makeFailedFuture(failure)
                }
                switch part {
                case .buffer(let buffer):
                    // The failure goes to the handler through `finish`; the body stream itself is
                    // never failed, so Vapor goes on reading (and the rest is discarded above).
                    let promise = eventLoop.makePromise(of: Void.self)
                    promise.completeWithTask { try await handle(buffer) }
                    return promise.futureResult.flatMapError { error in
                        finish(error)
                        return eventLoop.makeSucceededVoidFuture()
                    }
                case .error(let error):
                    finish(error)
                    return eventLoop.makeSucceededVoidFuture()
                case .end:
                    finish(nil)
                    return eventLoop.makeSucceededVoidFuture()
                }
            }
        }
    }
}
