import Foundation
import FluentKit
import SQLKit

/// Whether a job spent one of its order's re-run credits (a customer's re-run does; support's granted
/// re-run and an order's own job do not), so a failed re-run gives back only a credit it spent.
/// Re-runs queued before this column existed were all counted as spending one, as they were then.
package struct AddJobCreditSpent: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(GenerationJob.schema).field("credit_spent", .bool, .required, .sql(.default(false))).update()
        try await database.sql().update(GenerationJob.schema).set("credit_spent", to: SQLBind(true))
            .where("kind", .equal, SQLBind(GenerationJob.Kind.rerun)).run()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(GenerationJob.schema).deleteField("credit_spent").update()
    }
}
