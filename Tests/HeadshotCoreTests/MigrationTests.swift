import FluentKit
import FluentSQL
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

@Suite("Migrations") struct MigrationTests {
    @Test func everyMigrationRunsUpDownAndUpAgain() async throws {
        try await withCoreTestApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await Package.query(on: app.db).count() == 2)
            try await app.autoRevert()
            // Only Fluent's own bookkeeping table may remain after reverting everything.
            let leftover = try await tableNames(sql).filter { $0 != "_fluent_migrations" }
            #expect(leftover.isEmpty, "tables left after revert: \(leftover)")
            try await app.autoMigrate()
            #expect(try await Package.query(on: app.db).count() == 2)
            // Every Create… migration makes its table (CreateSandboxCheckout makes two), every Drop… takes one away.
            let names = AllMigrations.list.map { String(describing: type(of: $0)) }
            let creating = names.filter { $0.hasPrefix("Create") }.count, dropping = names.filter { $0.hasPrefix("Drop") }.count
            #expect(try await tableNames(sql).filter { $0 != "_fluent_migrations" }.count == creating + 1 - dropping)
        }
    }

    /// The data migrations of this batch run on rows written before them: open-ended tokens get a
    /// year, stored landmarks are erased, and an order awaiting payment gets a record of its session.
    @Test func dataMigrationsRewriteRowsFromBeforeThem() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let (token, _) = try await APITokens.issue(for: try user.requireID(), kind: .personal, name: "old", expiresAt: nil, at: clock.now(), on: app.db)
            let order = try await Fixtures.awaitingOrder(app, user: user)
            try await CheckoutSessionRecord.query(on: app.db).delete()
            let upload = UploadAsset(orderID: try order.requireID(), blobKey: "k", originalFilename: "a.jpg", byteSize: 1)
            upload.status = .accepted
            upload.findings = #"{"verdict":"pass","score":90,"findings":[],"format":"jpeg","width":10,"height":10,"landmarks":[{"x":1,"y":2}],"fingerprint":{"imageHash":1,"borderColour":[0,0,0]}}"#
            try await upload.create(on: app.db)

            try await ExpireOpenEndedTokens().prepare(on: app.db)
            try await EraseStoredFaceLandmarks().prepare(on: app.db)
            try await CreateCheckoutSessionRecord().revert(on: app.db)
            try await CreateCheckoutSessionRecord().prepare(on: app.db)

            #expect(try await APIToken.find(token.id, on: app.db)?.expiresAt == clock.now().addingTimeInterval(365 * 86_400))
            let stored = try #require(try await UploadAsset.find(upload.id, on: app.db)?.findings)
            #expect(!stored.contains("landmarks") && stored.contains(#""score":90"#))
            let session = try #require(try await CheckoutSessionRecord.query(on: app.db).first())
            #expect(session.reference == order.checkoutReference && session.amountMinor == order.amountMinor && session.orderID == order.id)
        }
    }

    @Test func seededPackagesHaveTheAdvertisedTerms() async throws {
        try await withCoreTestApp { app, _ in
            let packages = try await Package.query(on: app.db).sort(\.$sortOrder).all()
            #expect(packages.map(\.code) == ["basic", "professional"])
            #expect(packages.map(\.headshotCount) == [40, 100])
            #expect(packages.map(\.maxPresets) == [3, 5])
            #expect(packages.map(\.priceMinor) == [2900, 5900])
            #expect(packages.map(\.rerunCredits) == [1, 3])
            #expect(packages[1].queuePriority > packages[0].queuePriority)
        }
    }

    private func tableNames(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString = sql.dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }
}
