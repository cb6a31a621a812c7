import Foundation
import FluentKit

/// One mail table: development mail is an `outgoing_mail` row like any other (`DevMailer` delivers
/// nothing; `/dev/outbox` lists the rows), so the development-only copy table goes.
package struct DropDevOutboxMessages: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(CreateOutboxMessage.table).delete()
    }

    package func revert(on database: any Database) async throws {
        try await CreateOutboxMessage().prepare(on: database)
    }
}
