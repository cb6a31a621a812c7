import Foundation

/// Runs async critical sections one at a time, in arrival order.
///
/// Used where SQLite needs it: two deferred transactions that both read and then write can deadlock,
/// and SQLite answers one of them "database is locked" at once instead of waiting. On the embedded
/// database (one process by design) such write paths take this lock; PostgreSQL needs none.
/// With `permits` above one it admits that many at once (the remote generator's cap on
/// predictions in flight per provider).
package actor AsyncMutex {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package init(permits: Int = 1) {
        available = max(permits, 1)
    }

    package func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
