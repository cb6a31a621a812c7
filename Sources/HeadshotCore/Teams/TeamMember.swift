import FluentKit
import Foundation

/// A person in a team, with their role and the headshot they share with it.
package final class TeamMember: Model, @unchecked Sendable {
    package static let schema = "team_members"

    @ID package var id: UUID?
    @Parent(key: "team_id") package var team: Team
    @Parent(key: "user_id") package var user: User
    @Field(key: "role") package var role: TeamRole
    /// The headshot the member chose to share with the team (their "team headshot"), if any.
    @OptionalField(key: "team_headshot_id") package var teamHeadshotID: UUID?
    @Field(key: "joined_at") package var joinedAt: Date
    /// How many of the team's seats the member may spend on their own orders (1 unless a manager grants more).
    @Field(key: "seat_quota") package var seatQuota: Int

    package init() {}

    package init(teamID: UUID, userID: UUID, role: TeamRole, at date: Date) {
        self.$team.id = teamID
        self.$user.id = userID
        self.role = role
        self.joinedAt = date
        self.seatQuota = 1
    }
}
