import Foundation
import FluentKit

package struct CreateNotification: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Notification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .statusColumns()
            .timestamps()
            .create()
        try await database.createIndex("idx_notifications_user_status", on: Notification.schema, "user_id", "status")
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Notification.schema).delete()
    }
}
