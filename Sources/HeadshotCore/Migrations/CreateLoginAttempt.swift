import Foundation
import FluentKit

package struct CreateLoginAttempt: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema)
            .id()
            .field("email", .string, .required)
            .field("ip", .string, .required)
            .field("succeeded", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex("idx_login_attempts_email_time", on: LoginAttempt.schema, "email", "created_at")
        try await database.createIndex("idx_login_attempts_ip_time", on: LoginAttempt.schema, "ip", "created_at")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
    }
}
