import Foundation
import FluentKit

package struct CreateUser: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("email_verified_at", .datetime)
            .field("password_changed_at", .datetime, .required)
            .timestamps()
            .unique(on: "email", name: "uq_users_email")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
