import Foundation
import FluentKit
import SQLKit

/// At most one queued or running generation job per order, enforced by the database itself (a
/// partial unique index; both SQLite and PostgreSQL support them).
package struct AddOneActiveJobPerOrder: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.raw("CREATE UNIQUE INDEX uq_generation_jobs_active_order ON generation_jobs (order_id) WHERE status IN ('queued', 'running')").run()
    }

    package func revert(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.raw("DROP INDEX IF EXISTS uq_generation_jobs_active_order").run()
    }
}
