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
        guard let (token, user) = try await withUser.first("WHERE \"api_tokens\".\"token_hash\" = \(bind: hash)", on: db) else { return nil }
        token.$user.value = user
        return token
    }

    private static let withUser = JoinedRead<APIToken, User>(on: "user_id", optional: false)
}

extension UserSession {
    /// A session with its user, in one read whose SQL is written once: every page a signed-in person opens makes it.
    static func withUser(hash: String, on db: any Database) async throws -> UserSession? {
        guard let (session, user) = try await withUser.first("WHERE \"sessions\".\"token_hash\" = \(bind: hash)", on: db) else { return nil }
        session.$user.value = user
        return session
    }

    private static let withUser = JoinedRead<UserSession, User>(on: "user_id", optional: false)
}
