import Foundation
import FluentKit

/// How many of the team's seats a member may spend on their own orders: one, unless a manager grants
/// more. Checked under the team's lock when a seat is spent (`TeamSeats.spend`).
package struct AddTeamMemberSeatQuota: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(TeamMember.schema).field("seat_quota", .int, .required, .sql(.default(1))).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(TeamMember.schema).deleteField("seat_quota").update()
    }
}
