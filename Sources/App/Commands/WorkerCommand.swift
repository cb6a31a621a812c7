import Dispatch
import NIOConcurrencyHelpers
import Vapor

/// `headshot worker`: background work only, no web server, for extra machines of a scaled-out
/// deployment (PostgreSQL and shared storage). Stops cleanly on SIGTERM or SIGINT.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Runs background workers and schedulers without the web server, until SIGTERM or SIGINT." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if case .sqlite = app.config.database {
            app.logger.warning("worker is running on the embedded SQLite database; extra workers need DATABASE_URL=postgres://… to share work across machines")
        }
        let services = BackgroundServices()
        services.start(app)
        let signal = await Self.waitForTermination()
        app.logger.info("received \(signal); finishing current work")
        await services.stop()
        await app.mailQueue.drain()
        context.console.print("worker stopped")
    }

    /// Suspends until SIGTERM or SIGINT arrives, and says which.
    static func waitForTermination() async -> String {
        let waiter = SignalWaiter()
        return await withCheckedContinuation { continuation in waiter.install(continuation) }
    }
}

/// Owns the signal sources for as long as the worker waits.
private final class SignalWaiter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "headshot.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<String, Never>?

    func install(_ continuation: CheckedContinuation<String, Never>) {
        queue.sync {
            self.continuation = continuation
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [self] in
                    self.continuation?.resume(returning: name)
                    self.continuation = nil
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
