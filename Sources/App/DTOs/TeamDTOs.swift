import Foundation
import HeadshotCore
import Vapor

struct CreateTeamRequest: Content {
    let name: String
}

/// A team as one of its people sees it: seats and styles, and the caller's role.
struct TeamDTO: Content {
    struct Seats: Content, Equatable {
        let purchased: Int
        let reserved: Int
        let used: Int
        let free: Int
    }

    let id: UUID
    let name: String
    let role: TeamRole
    let allowedPresets: [String]
    /// The brand colour of members' drawn backdrops (`#rrggbb`), or nil for each preset's own.
    let backdropColour: String?
    let seats: Seats
    let createdAt: Date?

    init(_ access: Teams.Access, ledger: SeatPricing.Ledger) {
        id = access.teamID
        name = access.team.name
        role = access.role
        allowedPresets = Teams.allowedPresets(of: access.team).map(\.rawValue)
        backdropColour = access.team.backdropColour
        seats = Seats(purchased: ledger.purchased, reserved: ledger.reserved, used: ledger.used, free: ledger.free)
        createdAt = access.team.createdAt
    }
}

struct SeatPurchaseRequest: Content {
    let seats: Int
    let package: String
}

/// A seat purchase's checkout: pay at `checkout_url`; the seats exist once the payment is confirmed.
struct SeatPurchaseDTO: Content {
    let orderID: UUID
    let checkoutID: String
    let checkoutURL: String
    let seats: Int
    let package: String
    let seatPriceMinor: Int
    let discountPercent: Int
    let amountMinor: Int
    let currency: String
}

struct InviteRequest: Content {
    let emails: [String]
}

struct InvitationLinkRequest: Content {
    let allowedDomain: String?
    let maxUses: Int?
    let expiresInDays: Int?
}

struct InvitationDTO: Content {
    enum Status: String, Codable, CaseIterable {
        case pending, accepted, revoked, expired, full
    }

    let id: UUID
    let kind: TeamInvitation.Kind
    let email: String?
    let status: Status
    let expiresAt: Date
    let uses: Int
    let maxUses: Int?
    let allowedDomain: String?
    let createdAt: Date

    init(_ invitation: TeamInvitation, now: Date) {
        id = invitation.id!
        kind = invitation.kind
        email = invitation.email
        status = if invitation.revokedAt != nil { .revoked }
            else if invitation.acceptedAt != nil { .accepted }
            else if invitation.expiresAt <= now { .expired }
            else if let cap = invitation.maxUses, invitation.uses >= cap { .full }
            else { .pending }
        expiresAt = invitation.expiresAt
        uses = invitation.uses
        maxUses = invitation.maxUses
        allowedDomain = invitation.allowedDomain
        createdAt = invitation.createdAt
    }
}

/// An open link as created: its URL is shown only this once.
struct CreatedInvitationLinkDTO: Content {
    let invitation: InvitationDTO
    let url: String
}

struct AcceptInvitationRequest: Content {
    let token: String
}

struct TeamStylesRequest: Content {
    let presets: [String]
    /// `#rrggbb` for every drawn backdrop of members' headshots; absent or null for each preset's own.
    var backdropColour: String? = nil
}

struct TeamRoleRequest: Content {
    let role: TeamRole
}

/// How many of the team's seats a member may spend on their own orders.
struct SeatQuotaRequest: Content {
    let seats: Int
}

struct TeamHeadshotRequest: Content {
    /// Required, null to share none: an empty body must not silently unshare.
    let headshotID: UUID?

    enum CodingKeys: String, CodingKey {
        case headshotID
    }

    init(headshotID: UUID?) { self.headshotID = headshotID }

    init(from decoder: any Decoder) throws {
        headshotID = try decoder.container(keyedBy: CodingKeys.self).decode(UUID?.self, forKey: .headshotID)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(headshotID, forKey: .headshotID)
    }
}

/// One person on the manager's dashboard: a member, or someone invited who has not joined yet.
struct TeamMemberDTO: Content {
    let userID: UUID?
    let email: String
    let name: String?
    let role: TeamRole?
    let state: TeamDashboard.State
    /// The state in words, as the dashboard shows it.
    let stateLabel: String
    let note: String?
    let invitationID: UUID?
    let teamHeadshotID: UUID?
    let joinedAt: Date?
    let seatQuota: Int?
    let seatsUsed: Int?

    init(_ row: TeamDashboard.Row) {
        userID = row.userID
        email = row.email
        name = row.name
        role = row.role
        state = row.state
        stateLabel = row.state.label
        note = row.note
        invitationID = row.invitationID
        teamHeadshotID = row.teamHeadshotID
        joinedAt = row.joinedAt
        seatQuota = row.seatQuota
        seatsUsed = row.seatsUsed
    }
}

struct TeamDashboardDTO: Content {
    let team: TeamDTO
    let members: [TeamMemberDTO]
}

/// A member's shared team headshot, as the team's managers see it.
struct TeamHeadshotDTO: Content {
    let userID: UUID
    let name: String?
    let email: String
    let headshotID: UUID
    let filename: String
    let thumbnailURL: String
}
