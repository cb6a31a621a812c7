import FluentKit
import Foundation
import SQLKit

/// Takes a row's lock inside a transaction (a no-op write: a row lock on PostgreSQL, the write lock
/// on SQLite), so the changes that read-then-write one object never interleave: what one of them
/// read stays true until it commits. Orders (checkout, fulfilment, refunds) and teams (seats) use it.
package enum RowLock {
    package enum Table: String {
        case orders, teams
    }

    package static func lock(_ table: Table, _ id: UUID, on tx: any Database) async throws {
        let sql = try tx.sql()
        switch table {
        case .orders: try await sql.raw("UPDATE orders SET status = status WHERE id = \(bind: id)").run()
        case .teams: try await sql.raw("UPDATE teams SET name = name WHERE id = \(bind: id)").run()
        }
    }

    /// Runs `body` in a transaction that holds the row's lock; on SQLite also inside `mutex`, which
    /// serialises these changes in the whole process.
    package static func run<T: Sendable>(_ table: Table, _ id: UUID, on db: any Database, mutex: AsyncMutex?,
                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let run: @Sendable () async throws -> T = {
            try await db.transaction { tx in
                try await lock(table, id, on: tx)
                return try await body(tx)
            }
        }
        if let mutex { return try await mutex.run(run) }
        return try await run()
    }
}

/// An order's lock (see `RowLock`).
package enum OrderLock {
    package static func lock(_ orderID: UUID, on tx: any Database) async throws {
        try await RowLock.lock(.orders, orderID, on: tx)
    }

    package static func run<T: Sendable>(_ orderID: UUID, on db: any Database, mutex: AsyncMutex?,
                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await RowLock.run(.orders, orderID, on: db, mutex: mutex, body)
    }
}
