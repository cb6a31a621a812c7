import Foundation
import FluentKit

package struct CreateUserSession: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("ip", .string)
            .field("user_agent", .string)
            .unique(on: "token_hash", name: "uq_sessions_token_hash")
            .create()
        try await database.createIndex("idx_sessions_user", on: UserSession.schema, "user_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).delete()
    }
}
