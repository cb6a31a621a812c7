import Foundation
import FluentKit

package struct CreateOneTimeToken: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(OneTimeToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash", name: "uq_user_tokens_token_hash")
            .create()
        try await database.createIndex("idx_user_tokens_user_purpose", on: OneTimeToken.schema, "user_id", "purpose")
        try await database.createIndex("idx_user_tokens_expires", on: OneTimeToken.schema, "expires_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(OneTimeToken.schema).delete()
    }
}
