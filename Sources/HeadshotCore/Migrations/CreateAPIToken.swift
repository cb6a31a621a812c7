import Foundation
import FluentKit

package struct CreateAPIToken: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("token_prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "uq_api_tokens_token_hash")
            .create()
        try await database.createIndex("idx_api_tokens_user", on: APIToken.schema, "user_id")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}
