import Fluent

/// One mail table: development mail is an `outgoing_mail` row like any other (`DevMailer` delivers
/// nothing; `/dev/outbox` lists the rows), so the development-only copy table goes.
struct DropDevOutboxMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CreateOutboxMessage.table).delete()
    }

    func revert(on database: any Database) async throws {
        try await CreateOutboxMessage().prepare(on: database)
    }
}
