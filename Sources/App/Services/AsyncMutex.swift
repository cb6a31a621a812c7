/// Runs async critical sections one at a time, in arrival order.
///
/// Used where SQLite needs it: two deferred transactions that both read and then write can deadlock,
/// and SQLite answers one of them "database is locked" at once instead of waiting. On the embedded
/// database (one process by design) such write paths take this lock; PostgreSQL needs none.
actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
