import FluentKit
import Foundation
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// The reads written once as SQL (`JoinedRead`: the session or token with its user, the order with its
/// package) decode exactly what Fluent's own query with eager loading decodes, on both databases, and
/// what they read can be saved back as an update.
@Suite("Joined reads") struct JoinedReadTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func eachReadDecodesWhatFluentsEagerLoadDecodes() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let userID = try user.requireID()
            let package = try #require(try await Package.query(on: app.db).filter(\.$code == "professional").first())
            let paid = Order(userID: userID, status: .draft)
            paid.$package.id = try package.requireID()
            paid.presets = "corporate-grey,executive-navy"
            paid.headshotCount = 100
            paid.statusChangedAt = clock.now()
            try await paid.create(on: app.db)
            try await Order(userID: userID, status: .draft).create(on: app.db)

            let read = try await Order.withPackage("WHERE \"orders\".\"user_id\" = \(bind: userID) ORDER BY \"orders\".\"created_at\" DESC", on: app.db)
            let fluent = try await Order.query(on: app.db).filter(\.$user.$id == userID).with(\.$package).sort(\.$createdAt, .descending).all()
            #expect(read.count == 2)
            #expect(try read.map(Self.json) == fluent.map(Self.json))
            #expect(read.contains { $0.package?.code == "professional" } && read.contains { $0.package == nil })

            let token = APIToken(userID: userID, kind: .personal, name: "ci", tokenHash: SecureToken.digest("hs_test"), tokenPrefix: "hs_tes",
                                 at: clock.now(), expiresAt: nil)
            try await token.create(on: app.db)
            let readToken = try #require(try await APIToken.withUser(hash: SecureToken.digest("hs_test"), on: app.db))
            let fluentToken = try #require(try await APIToken.query(on: app.db).filter(\.$tokenHash == SecureToken.digest("hs_test")).with(\.$user).first())
            #expect(try Self.json(readToken) == Self.json(fluentToken) && readToken.user.email == user.email)

            let session = UserSession(userID: userID, tokenHash: SecureToken.digest("cookie"), at: clock.now(), ip: "127.0.0.1", userAgent: "test")
            try await session.create(on: app.db)
            let readSession = try #require(try await UserSession.withUser(hash: SecureToken.digest("cookie"), on: app.db))
            let fluentSession = try #require(try await UserSession.query(on: app.db).filter(\.$tokenHash == SecureToken.digest("cookie")).with(\.$user).first())
            #expect(try Self.json(readSession) == Self.json(fluentSession))
            #expect(try await APIToken.withUser(hash: SecureToken.digest("nobody"), on: app.db) == nil)

            // The owned-order read (a prepared statement on PostgreSQL) reads what Fluent reads, and
            // nothing for another person or a deleted order.
            let owned = try #require(try await Order.owned(try paid.requireID(), by: userID, on: app.db))
            let fluentOwned = try #require(try await Order.query(on: app.db).filter(\.$id == paid.requireID()).with(\.$package).first())
            #expect(try Self.json(owned) == Self.json(fluentOwned) && owned.package?.code == "professional")
            #expect(try await Order.owned(try paid.requireID(), by: UUID(), on: app.db) == nil)
            #expect(try await Order.owned(UUID(), by: userID, on: app.db) == nil)

            // What a joined read returns is an existing row: saving it updates that row.
            clock.advance(by: 3_600)
            readSession.lastSeenAt = clock.now()
            try await readSession.save(on: app.db)
            #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == userID).count() == 1)
            let saved = try #require(try await UserSession.find(readSession.requireID(), on: app.db))
            #expect(abs(saved.lastSeenAt.timeIntervalSince(clock.now())) < 1)
        }
    }

    /// A read is written once, with PostgreSQL's numbered placeholders: prepared there, bound through
    /// SQLKit on SQLite, the same rows on both, a recurring placeholder bound to the same value.
    @Test func aPreparedReadFindsTheSameRowsOnEitherDatabase() async throws {
        try await withCoreTestApp { app, _ in
            let user = try await Fixtures.user(app), other = try await Fixtures.user(app, email: "other@example.com")
            let session = UserSession(userID: try user.requireID(), tokenHash: SecureToken.digest("prepared"), at: Date(), ip: "127.0.0.1", userAgent: "test")
            try await session.create(on: app.db)
            let rows = try await PreparedReads.rows(ProbeRead.self, [SecureToken.digest("prepared"), try user.requireID()], on: app.db)
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(column: "id", as: UUID.self) == session.requireID())
            #expect(try rows.first?.decode(column: "token_hash", as: String.self) == SecureToken.digest("prepared"))
            #expect(try await PreparedReads.rows(ProbeRead.self, [SecureToken.digest("prepared"), try other.requireID()], on: app.db).isEmpty)
            #expect(try await UserSession.withUser(hash: SecureToken.digest("prepared"), on: app.db)?.user.email == user.email)
        }
    }

    enum ProbeRead: PreparedRead {
        static let name = "joined_read_tests_probe"
        static let sql = #"SELECT "id", "token_hash" FROM "sessions" WHERE "token_hash" = $1 AND "user_id" = $2 AND "token_hash" = $1"#
    }
}
