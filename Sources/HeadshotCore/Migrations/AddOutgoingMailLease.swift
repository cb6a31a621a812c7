import Foundation
import FluentKit
import SQLKit

/// Outgoing mail is claimed by the one lease engine (`Lease`), so its table gets the columns every
/// leased table has: a `status` (queued, sending, sent, failed), `lease_owner`, `status_changed_at`
/// and `updated_at`, and the engine's names for the columns it had (`claimed_until` is
/// `lease_expires_at`, `claim_token` is `lease_token`, `next_attempt_at` is `run_at`).
package struct AddOutgoingMailLease: AsyncMigration {
    static let renamed = [("claimed_until", "lease_expires_at"), ("claim_token", "lease_token"), ("next_attempt_at", "run_at")]
    static let added: [(String, DatabaseSchema.DataType)] = [
        ("status", .string), ("lease_owner", .string), ("status_changed_at", .datetime), ("updated_at", .datetime),
    ]

    package func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        try await database.dropIndex("idx_outgoing_mail_due")
        for (old, new) in Self.renamed { try await rename(old, to: new, on: sql) }
        for (name, type) in Self.added {
            try await database.schema(OutgoingMail.schema).field(.string(name), type).update()
        }
        try await sql.raw("""
            UPDATE outgoing_mail SET status = CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'queued' END,
                lease_expires_at = NULL, lease_token = NULL, status_changed_at = created_at, updated_at = created_at
            """).run()
        try await database.createIndex("idx_outgoing_mail_claim", on: OutgoingMail.schema, "status", "run_at")
    }

    package func revert(on database: any Database) async throws {
        let sql = try database.sql()
        try await database.dropIndex("idx_outgoing_mail_claim")
        for (name, _) in Self.added.reversed() {
            try await database.schema(OutgoingMail.schema).deleteField(.string(name)).update()
        }
        for (old, new) in Self.renamed.reversed() { try await rename(new, to: old, on: sql) }
        try await database.createIndex("idx_outgoing_mail_due", on: OutgoingMail.schema, "sent_at", "failed_at", "next_attempt_at")
    }

    /// SQLite (3.25 on) and PostgreSQL rename a column with the same statement; Fluent's schema builder has none.
    private func rename(_ old: String, to new: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("ALTER TABLE \(ident: OutgoingMail.schema) RENAME COLUMN \(ident: old) TO \(ident: new)").run()
    }
}
