import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Threads of their own for blocking C work (never an event loop), each job borrowing a session —
/// C resources that one thread may use at a time — and handing it back. One session per thread is
/// made up front; another is made only if every one is out. Call `shutdown()` before dropping it.
final class SessionPool<Session: Sendable>: Sendable {
    let threadCount: Int
    private let pool: NIOThreadPool
    private let sessions: NIOLockedValueBox<[Session]>
    private let make: @Sendable () throws -> Session

    init(threads: Int, make: @escaping @Sendable () throws -> Session) throws {
        threadCount = max(threads, 1)
        self.make = make
        sessions = NIOLockedValueBox(try (0..<threadCount).map { _ in try make() })
        pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
    }

    func run<T: Sendable>(_ work: @escaping @Sendable (Session) throws -> T) async throws -> T {
        try await pool.runIfActive { [sessions, make] in
            let session = try sessions.withLockedValue { $0.popLast() } ?? make()
            defer { sessions.withLockedValue { $0.append(session) } }
            return try work(session)
        }
    }

    func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
