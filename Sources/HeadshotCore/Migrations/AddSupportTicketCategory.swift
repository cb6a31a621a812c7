import Foundation
import FluentKit
import SQLKit

/// What a support ticket is about (doesn't look like me, wrong style, payment…), so it reaches the
/// right hands and the customer's list reads naturally. Earlier tickets are "other".
package struct AddSupportTicketCategory: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(SupportTicket.schema).field("category", .string, .required, .sql(.default("other"))).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(SupportTicket.schema).deleteField("category").update()
    }
}
