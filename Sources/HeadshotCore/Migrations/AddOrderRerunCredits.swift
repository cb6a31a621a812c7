import Foundation
import FluentKit

/// The re-run credits an order was sold with, copied from its package at checkout, so editing a
/// package changes new orders only. Earlier orders take their package's credits at payment, as before.
package struct AddOrderRerunCredits: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(Order.schema).field("rerun_credits", .int).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).deleteField("rerun_credits").update()
    }
}
