import Foundation
import FluentKit
import SQLKit

extension Database {
    /// This database as SQL, for the reads written in SQL: both supported databases (SQLite and
    /// PostgreSQL) are.
    package func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
        return sql
    }
}

/// A database that does not speak SQL was configured: a fault of the installation (a 500), never of a request.
package struct NotAnSQLDatabase: Error, CustomStringConvertible {
    package var description: String { "Headshot Studio needs an SQL database (SQLite or PostgreSQL)." }
}
