import FluentKit
import Foundation
import SQLKit

/// Personal tokens created when they could be open-ended get the longest lifetime allowed now (a
/// year from their creation), so no token lives for ever. Written in SQL, not through the model, so
/// it keeps working as the model gains columns.
package struct ExpireOpenEndedTokens: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for row in try await sql.raw("SELECT id, created_at FROM api_tokens WHERE expires_at IS NULL").all() {
            let expires = try row.decode(column: "created_at", as: Date.self).addingTimeInterval(TimeInterval(CreateTokenRequest.maximumDays) * 86_400)
            try await sql.raw("UPDATE api_tokens SET expires_at = \(bind: expires) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
        }
    }

    package func revert(on database: any Database) async throws {}
}
