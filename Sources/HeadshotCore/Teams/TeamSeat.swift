import FluentKit
import Foundation

/// One seat a team bought: created exactly once from the verified payment of its purchase, then
/// free, reserved by a pending personal invitation (or for the member who accepted it), or used by
/// the member order it paid for; a free seat can be refunded.
package final class TeamSeat: Model, @unchecked Sendable {
    package static let schema = "team_seats"

    package enum State: String, Codable, Sendable {
        case free, reserved, used
        /// Taken back by a refund of its purchase (only a free seat can be).
        case refunded
    }

    @ID package var id: UUID?
    @Parent(key: "team_id") package var team: Team
    /// The seat purchase (an order of kind `team_seats`) that bought it, and its number in that purchase.
    @Field(key: "purchase_id") package var purchaseID: UUID
    @Field(key: "number") package var number: Int
    @Field(key: "package_id") package var packageID: UUID
    @Field(key: "state") package var state: State
    @OptionalField(key: "invitation_id") package var invitationID: UUID?
    /// The member the seat is kept for (accepted invitation) or was used by.
    @OptionalField(key: "user_id") package var userID: UUID?
    /// The member's order the seat paid for.
    @OptionalField(key: "order_id") package var orderID: UUID?
    @Field(key: "changed_at") package var changedAt: Date

    package init() {}

    package init(teamID: UUID, purchaseID: UUID, number: Int, packageID: UUID, at date: Date) {
        self.$team.id = teamID
        self.purchaseID = purchaseID
        self.number = number
        self.packageID = packageID
        self.state = .free
        self.changedAt = date
    }
}
