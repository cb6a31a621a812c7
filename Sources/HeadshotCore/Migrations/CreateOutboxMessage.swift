import Foundation
import FluentKit

/// The development mailbox's own table, from before development mail was an `outgoing_mail` row like
/// any other (`DropDevOutboxMessages`).
package struct CreateOutboxMessage: AsyncMigration {
    package static let table = "outbox_messages"

    package func prepare(on database: any Database) async throws {
        try await database.schema(Self.table)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Self.table).delete()
    }
}
