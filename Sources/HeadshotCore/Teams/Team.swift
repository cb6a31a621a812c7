import FluentKit
import Foundation

/// A company's team: its owner buys seats, managers invite colleagues, and members make their
/// headshots on the team's seats, within the team's styles.
package final class Team: Model, @unchecked Sendable {
    package static let schema = "teams"
    package static let auditSubject = "team"

    @ID package var id: UUID?
    @Field(key: "name") package var name: String
    @Parent(key: "owner_id") package var owner: User
    /// The style presets members may pick, comma-separated codes (nil: all of them).
    @OptionalField(key: "allowed_presets") package var allowedPresets: String?
    /// The brand colour (`#rrggbb`) members' drawn backdrops are painted in (nil: each preset's own).
    @OptionalField(key: "backdrop_colour") package var backdropColour: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(id: UUID? = nil, name: String, ownerID: UUID) {
        self.id = id
        self.name = name
        self.$owner.id = ownerID
    }
}

/// What a person may do in a team. Owners buy seats and fix the styles; managers (and owners)
/// invite, remind and remove members and see the dashboard; members make their headshots.
package enum TeamRole: String, Codable, Sendable, CaseIterable {
    case owner, manager, member

    package var manages: Bool { self != .member }
}
