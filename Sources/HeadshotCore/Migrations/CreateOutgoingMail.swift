import Foundation
import FluentKit

package struct CreateOutgoingMail: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("claim_token", .uuid)
            .field("sent_at", .datetime)
            .field("failed_at", .datetime)
            .field("last_error", .string)
            .create()
        // What the sender looks for: unsent messages that are due.
        try await database.createIndex("idx_outgoing_mail_due", on: OutgoingMail.schema, "sent_at", "failed_at", "next_attempt_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema).delete()
    }
}
