import Fluent
import Foundation
import SQLKit

/// Takes an order's row lock inside a transaction (a no-op write: a row lock on PostgreSQL, the
/// write lock on SQLite), so checkout, fulfilment and refunds of one order never interleave: what
/// one of them read stays true until it commits.
enum OrderLock {
    static func lock(_ orderID: UUID, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { return }
        try await sql.raw("UPDATE orders SET status = status WHERE id = \(bind: orderID)").run()
    }

    /// Runs `body` in a transaction that holds the order's lock; on SQLite also inside `mutex`, which
    /// serialises checkout, fulfilment and refunds of the whole process.
    static func run<T: Sendable>(_ orderID: UUID, on db: any Database, mutex: AsyncMutex?,
                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let run: @Sendable () async throws -> T = {
            try await db.transaction { tx in
                try await lock(orderID, on: tx)
                return try await body(tx)
            }
        }
        if let mutex { return try await mutex.run(run) }
        return try await run()
    }
}
