import Fluent
import SQLKit

extension Order {
    private static let withPackage = JoinedRead<Order, Package>(on: "package_id", optional: true)

    /// Orders with their package read in the same query (`JoinedRead`), where eager loading
    /// (`with(\.$package)`) would ask a second one: this read starts every request about an order.
    /// `rest` is the WHERE and ORDER BY, columns qualified as `"orders"."…"`.
    static func withPackage(_ rest: SQLQueryString, on db: any Database) async throws -> [Order] {
        try await withPackage.all(rest, on: db).map { order, package in
            order.$package.value = .some(package)
            return order
        }
    }
}

extension APIToken {
    /// An API token with its user, in one read whose SQL is written once: every API call makes it.
    static func withUser(hash: String, on db: any Database) async throws -> APIToken? {
        try await withUser.found(byTokenHash: hash, user: \.$user, on: db)
    }

    private static let withUser = JoinedRead<APIToken, User>(on: "user_id", optional: false)
}

extension UserSession {
    /// A session with its user, in one read whose SQL is written once: every page a signed-in person opens makes it.
    static func withUser(hash: String, on db: any Database) async throws -> UserSession? {
        try await withUser.found(byTokenHash: hash, user: \.$user, on: db)
    }

    private static let withUser = JoinedRead<UserSession, User>(on: "user_id", optional: false)
}

extension JoinedRead where Joined == User {
    /// The row holding this digest of a secret (a session's or an API token's), with its user set.
    func found(byTokenHash hash: String, user: KeyPath<Base, ParentProperty<Base, User>>, on db: any Database) async throws -> Base? {
        guard let (found, owner) = try await first("WHERE \(unsafeRaw: "\"\(Base.schema)\".\"token_hash\"") = \(bind: hash)", on: db) else { return nil }
        found[keyPath: user].value = owner
        return found
    }
}
