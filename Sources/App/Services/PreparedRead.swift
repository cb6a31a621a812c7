import Fluent
import FluentPostgresDriver
import SQLKit

/// A read that every request of a kind makes (the signed-in person's token or session, the order a
/// URL names, a gallery's state), run on PostgreSQL as a prepared statement: parsed and planned
/// once per connection instead of on every request (under load, planning these unnamed statements
/// was a third of the database's CPU). SQLite runs the same read through SQLKit; `rows` picks.
protocol PreparedRead: Sendable {
    /// The statement's name, unique in the process.
    static var name: String { get }
    /// The SQL with PostgreSQL's placeholders ($1, $2…).
    static var sql: String { get }
}

private struct PreparedStatement<Read: PreparedRead>: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { Read.name }
    static var sql: String { Read.sql }
    let binds: [any PostgresThrowingDynamicTypeEncodable & Sendable]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds { try bindings.append(value) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

enum PreparedReads {
    /// The rows of `read` with `binds` on PostgreSQL, or nil on another database (the caller runs its
    /// SQLKit query there).
    static func rows<Read: PreparedRead>(_ read: Read.Type, _ binds: [any PostgresThrowingDynamicTypeEncodable & Sendable],
                                         on db: any Database) async throws -> [any SQLRow]? {
        guard let postgres = db as? any PostgresDatabase else { return nil }
        let statement = PreparedStatement<Read>(binds: binds)
        let logger = db.logger
        let rows = try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await Array(connection.execute(statement, logger: logger)) }
        }.get()
        return rows.map { $0.sql() }
    }
}
