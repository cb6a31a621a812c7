import Fluent
import SQLKit
import Vapor

extension Database {
    /// This database as SQL, for the reads written in SQL: both supported databases (SQLite and
    /// PostgreSQL) are.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw Abort(.internalServerError, reason: "Headshot Studio needs an SQL database.") }
        return sql
    }
}
