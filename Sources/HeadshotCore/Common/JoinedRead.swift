import Foundation
import FluentKit
import SQLKit

/// A model read with the one it points to, in one query whose SQL text is written once. The reads
/// every signed-in request makes (the session or token with its user, the order with its package)
/// were Fluent queries, and Fluent writes a query's SQL anew on each call: quoting and escaping the
/// ~40 aliased column names of such a join cost about a fifth of a signed-in request's CPU. The models
/// are still decoded by Fluent (`Model.output(from:)`), from the same aliased columns a Fluent join
/// reads (`orders_id`, `packages_code`, …).
package struct JoinedRead<Base: Model, Joined: Model>: Sendable {
    /// `SELECT <base's and joined's columns> FROM base [LEFT] JOIN joined ON base.<foreign key> = joined.id`.
    package let select: String

    package init(on foreignKey: FieldKey, optional: Bool) {
        let columns = (Self.columns(Base.self) + Self.columns(Joined.self)).joined(separator: ", ")
        select = "SELECT \(columns) FROM \"\(Base.schema)\" \(optional ? "LEFT JOIN" : "JOIN") \"\(Joined.schema)\" "
            + "ON \"\(Base.schema)\".\"\(foreignKey.description)\" = \"\(Joined.schema)\".\"id\" "
    }

    private static func columns(_ model: (some Model).Type) -> [String] {
        model.keys.map { "\"\(model.schema)\".\"\($0.description)\" AS \"\(model.schema)_\($0.description)\"" }
    }

    /// The rows `rest` (its WHERE, ORDER BY, LIMIT; columns qualified by table) selects, each base with
    /// its joined model (nil where an optional join found none).
    package func all(_ rest: SQLQueryString, on db: any Database) async throws -> [(Base, Joined?)] {
        try await db.sql().raw("\(unsafeRaw: select)\(rest)").all().map(decode)
    }

    /// A row of `select`: the base with its joined model (nil where an optional join found none).
    package func decode(_ row: any SQLRow) throws -> (Base, Joined?) {
        let base = Base()
        try base.output(from: AliasedRow(row: row, prefix: Base.schema + "_"))
        guard try !row.decodeNil(column: Joined.schema + "_id") else { return (base, nil) }
        let joined = Joined()
        try joined.output(from: AliasedRow(row: row, prefix: Joined.schema + "_"))
        return (base, joined)
    }
}

/// One model's columns of a joined row, named `<schema>_<key>` as Fluent's joins alias them.
private struct AliasedRow: DatabaseOutput {
    package let row: any SQLRow
    package let prefix: String

    package var description: String { "\(prefix)* of \(row)" }

    package func schema(_ schema: String) -> any DatabaseOutput { AliasedRow(row: row, prefix: schema + "_") }
    package func contains(_ key: FieldKey) -> Bool { row.contains(column: prefix + key.description) }
    package func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: prefix + key.description) }
    package func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: prefix + key.description, as: T.self) }
}
