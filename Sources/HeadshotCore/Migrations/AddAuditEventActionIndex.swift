import Foundation
import FluentKit

/// The live-status ETA reads the latest successful jobs from the audit trail on every tick of every
/// open order page: an index on what it filters and sorts by.
package struct AddAuditEventActionIndex: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.createIndex("idx_audit_events_action_state", on: AuditEvent.schema, "action", "to_state", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.dropIndex("idx_audit_events_action_state")
    }
}
