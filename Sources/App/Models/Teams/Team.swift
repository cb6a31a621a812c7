import Fluent
import Foundation

/// A company's team: its owner buys seats, managers invite colleagues, and members make their
/// headshots on the team's seats, within the team's styles.
public final class Team: Model, @unchecked Sendable {
    public static let schema = "teams"
    public static let auditSubject = "team"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    @Parent(key: "owner_id") public var owner: User
    /// The style presets members may pick, comma-separated codes (nil: all of them).
    @OptionalField(key: "allowed_presets") public var allowedPresets: String?
    /// The brand colour (`#rrggbb`) members' drawn backdrops are painted in (nil: each preset's own).
    @OptionalField(key: "backdrop_colour") public var backdropColour: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, name: String, ownerID: UUID) {
        self.id = id
        self.name = name
        self.$owner.id = ownerID
    }
}

/// What a person may do in a team. Owners buy seats and fix the styles; managers (and owners)
/// invite, remind and remove members and see the dashboard; members make their headshots.
public enum TeamRole: String, Codable, Sendable, CaseIterable {
    case owner, manager, member

    var manages: Bool { self != .member }
}
