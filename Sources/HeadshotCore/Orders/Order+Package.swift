import FluentKit
import Foundation
import SQLKit

extension Order {
    fileprivate static let withPackage = JoinedRead<Order, Package>(on: "package_id", optional: true)

    /// Orders with their package read in the same query (`JoinedRead`), where eager loading
    /// (`with(\.$package)`) would ask a second one: this read starts every request about an order.
    /// `rest` is the WHERE and ORDER BY, columns qualified as `"orders"."…"`.
    package static func withPackage(_ rest: SQLQueryString, on db: any Database) async throws -> [Order] {
        try await withPackage.all(rest, on: db).map { order, package in
            order.$package.value = .some(package)
            return order
        }
    }

    /// The owner's headshots order with this id and its package, unless deleted: every request about
    /// an order starts with it (a prepared statement on PostgreSQL, `PreparedRead`).
    package static func owned(_ id: UUID, by owner: UUID, on db: any Database) async throws -> Order? {
        let kind = Order.Kind.headshots.rawValue, deleted = OrderStatus.deleted.rawValue
        return try await PreparedReads.rows(OwnedOrder.self, [id, owner, kind, deleted], on: db).first.map { row in
            let (order, package) = try withPackage.decode(row)
            order.$package.value = .some(package)
            return order
        }
    }
}

private enum OwnedOrder: PreparedRead {
    package static let name = "owned_order"
    package static let sql = Order.withPackage.select
        + #"WHERE "orders"."id" = $1 AND "orders"."user_id" = $2 AND "orders"."kind" = $3 AND "orders"."status" <> $4 LIMIT 1"#
}

extension APIToken {
    /// An API token with its user, in one read whose SQL is written once: every API call makes it.
    package static func withUser(hash: String, on db: any Database) async throws -> APIToken? {
        try await withUser.found(byTokenHash: hash, user: \.$user, prepared: TokenLookup.self, on: db)
    }

    fileprivate static let withUser = JoinedRead<APIToken, User>(on: "user_id", optional: false)

    private enum TokenLookup: PreparedRead {
        package static let name = "token_lookup_api_tokens"
        package static let sql = withUser.select + #"WHERE "\#(schema)"."token_hash" = $1 LIMIT 1"#
    }
}

extension UserSession {
    /// A session with its user, in one read whose SQL is written once: every page a signed-in person opens makes it.
    package static func withUser(hash: String, on db: any Database) async throws -> UserSession? {
        try await withUser.found(byTokenHash: hash, user: \.$user, prepared: SessionLookup.self, on: db)
    }

    fileprivate static let withUser = JoinedRead<UserSession, User>(on: "user_id", optional: false)

    private enum SessionLookup: PreparedRead {
        package static let name = "token_lookup_sessions"
        package static let sql = withUser.select + #"WHERE "\#(schema)"."token_hash" = $1 LIMIT 1"#
    }
}

extension JoinedRead where Joined == User {
    /// The row holding this digest of a secret (a session's or an API token's), with its user set.
    /// Every signed-in request makes this read: a prepared statement on PostgreSQL (`PreparedRead`).
    /// `prepared` is the same read as a statement (its SQL `select` + the digest as $1), built once.
    package func found(byTokenHash hash: String, user: KeyPath<Base, ParentProperty<Base, User>>, prepared: (some PreparedRead).Type,
               on db: any Database) async throws -> Base? {
        guard let (row, owner) = try await PreparedReads.rows(prepared, [hash], on: db).first.map(decode) else { return nil }
        row[keyPath: user].value = owner
        return row
    }
}

