import Foundation
import FluentKit
import FluentSQL

extension SchemaBuilder {
    /// The columns every status-tracked table shares; `Audit.transition` writes them by these names.
    package func statusColumns() -> Self {
        self.field("status", .string, .required)
            .field("status_changed_at", .datetime)
    }

    package func timestamps() -> Self {
        self.field("created_at", .datetime)
            .field("updated_at", .datetime)
    }
}

extension Database {
    /// Fluent's schema builder has no plain indexes; SQLKit writes the same statement on SQLite and PostgreSQL.
    package func createIndex(_ name: String, on table: String, _ columns: String..., unique: Bool = false) async throws {
        let sql = try self.sql()
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }

    package func dropIndex(_ name: String) async throws {
        let sql = try self.sql()
        try await sql.drop(index: name).ifExists().run()
    }
}
