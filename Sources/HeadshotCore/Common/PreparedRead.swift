import Foundation
import FluentKit
import FluentPostgresDriver
import SQLKit

/// A read that every request of a kind makes (the signed-in person's token or session, the order a
/// URL names, a gallery's state), run on PostgreSQL as a prepared statement: parsed and planned
/// once per connection instead of on every request (under load, planning these unnamed statements
/// was a third of the database's CPU). SQLite runs the same SQL through SQLKit, each placeholder bound
/// to its value, so each read is written once for both databases.
package protocol PreparedRead: Sendable {
    /// The statement's name, unique in the process.
    static var name: String { get }
    /// The SQL with PostgreSQL's placeholders ($1, $2…); no `$` anywhere else in it.
    static var sql: String { get }
}

/// A value bound to a prepared read: encodable for PostgreSQL's driver and for SQLite's (UUID, String, Int…).
package typealias PreparedBind = any PostgresThrowingDynamicTypeEncodable & Encodable & Sendable

private struct PreparedStatement<Read: PreparedRead>: PostgresPreparedStatement {
    package typealias Row = PostgresRow
    package static var name: String { Read.name }
    package static var sql: String { Read.sql }
    package let binds: [PreparedBind]

    package func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds { try bindings.append(value) }
        return bindings
    }

    package func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

package enum PreparedReads {
    /// The rows of `read` with `binds` ($1 is the first): a prepared statement on PostgreSQL, the same
    /// SQL through SQLKit on SQLite.
    package static func rows<Read: PreparedRead>(_ read: Read.Type, _ binds: [PreparedBind], on db: any Database) async throws -> [any SQLRow] {
        guard let postgres = db as? any PostgresDatabase else {
            return try await db.sql().raw(query(read.sql, binds: binds)).all()
        }
        let statement = PreparedStatement<Read>(binds: binds)
        let logger = db.logger
        let rows = try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await Array(connection.execute(statement, logger: logger)) }
        }.get()
        return rows.map { $0.sql() }
    }

    /// `sql` for SQLKit: each `$n` bound to `binds[n - 1]` (a placeholder that recurs is bound again).
    package static func query(_ sql: String, binds: [PreparedBind]) -> SQLQueryString {
        var query = SQLQueryString("")
        var rest = sql[...]
        while let match = rest.firstMatch(of: /\$(\d+)/) {
            query.appendLiteral(String(rest[..<match.range.lowerBound]))
            guard let number = Int(match.output.1), binds.indices.contains(number - 1) else {
                preconditionFailure("\(sql): $\(match.output.1) has no value among \(binds.count)")
            }
            query.appendInterpolation(bind: binds[number - 1])
            rest = rest[match.range.upperBound...]
        }
        query.appendLiteral(String(rest))
        return query
    }
}
