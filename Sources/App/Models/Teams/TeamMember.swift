import Fluent
import Foundation

/// A person in a team, with their role and the headshot they share with it.
public final class TeamMember: Model, @unchecked Sendable {
    public static let schema = "team_members"

    @ID public var id: UUID?
    @Parent(key: "team_id") public var team: Team
    @Parent(key: "user_id") public var user: User
    @Field(key: "role") public var role: TeamRole
    /// The headshot the member chose to share with the team (their "team headshot"), if any.
    @OptionalField(key: "team_headshot_id") public var teamHeadshotID: UUID?
    @Field(key: "joined_at") public var joinedAt: Date
    /// How many of the team's seats the member may spend on their own orders (1 unless a manager grants more).
    @Field(key: "seat_quota") public var seatQuota: Int

    public init() {}

    public init(teamID: UUID, userID: UUID, role: TeamRole, at date: Date) {
        self.$team.id = teamID
        self.$user.id = userID
        self.role = role
        self.joinedAt = date
        self.seatQuota = 1
    }
}
