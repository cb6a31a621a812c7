import Fluent
import FluentSQL
import Testing
import VaporTesting
@testable import App

@Suite("Migrations") struct MigrationTests {
    @Test func everyMigrationRunsUpDownAndUpAgain() async throws {
        try await withTestApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await Package.query(on: app.db).count() == 2)
            try await app.autoRevert()
            // Only Fluent's own bookkeeping table may remain after reverting everything.
            let leftover = try await tableNames(sql).filter { $0 != "_fluent_migrations" }
            #expect(leftover.isEmpty, "tables left after revert: \(leftover)")
            try await app.autoMigrate()
            #expect(try await Package.query(on: app.db).count() == 2)
            // Every Create… migration makes its table (CreateSandboxCheckout makes two).
            let creating = AllMigrations.list.filter { String(describing: type(of: $0)).hasPrefix("Create") }.count
            #expect(try await tableNames(sql).filter { $0 != "_fluent_migrations" }.count == creating + 1)
        }
    }

    @Test func seededPackagesHaveTheAdvertisedTerms() async throws {
        try await withTestApp { app, _ in
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
