import Foundation
import FluentKit

/// The customer's name and job title, both optional, shown on the profile and signature previews.
package struct AddUserProfile: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("display_name", .string).update()
        try await database.schema(User.schema).field("job_title", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("job_title").update()
        try await database.schema(User.schema).deleteField("display_name").update()
    }
}
