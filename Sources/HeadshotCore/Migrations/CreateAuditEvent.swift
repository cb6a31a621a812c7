import Foundation
import FluentKit

package struct CreateAuditEvent: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("actor_type", .string, .required)
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .uuid)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("request_id", .string)
            .field("detail", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("idx_audit_events_subject", on: AuditEvent.schema, "subject_type", "subject_id", "created_at")
        try await database.createIndex("idx_audit_events_actor", on: AuditEvent.schema, "actor_id", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
