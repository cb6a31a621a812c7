import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Reads a streamed request body chunk by chunk through Vapor's callback API (`drain`), each chunk
/// handled before the next is read (back-pressure). Vapor 4's AsyncSequence over the body can hit a
/// `preconditionFailure` in its producer state machine under load (vapor/vapor#3153), which takes the
/// whole process down; it did so once in our suite. The callback path has no such state machine.
enum RequestBodyReader {
    static func forEach(_ req: Request, _ handle: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws {
        let eventLoop = req.eventLoop
        let outcome = NIOLockedValueBox<(CheckedContinuation<Void, any Error>?, (any Error)?)>((nil, nil))
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
                // After a failure the rest of the body is refused, so Vapor stops reading it.
                if let failure = outcome.withLockedValue({ $0.0 == nil ? ($0.1 ?? UploadError.noFile) : nil }) {
                    return eventLoop.makeFailedFuture(failure)
                }
                switch part {
                case .buffer(let buffer):
                    let promise = eventLoop.makePromise(of: Void.self)
                    promise.completeWithTask { try await handle(buffer) }
                    promise.futureResult.whenFailure { finish($0) }
                    return promise.futureResult
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
