import Foundation

/// A team's page and its form targets, under `/teams/{teamID}` (see `SiteURL.team`).
extension SiteURL {
    package enum TeamPage: Sendable {
        case seats
        case invitations
        case links
        case resend(Parameter<UUID>)
        case revoke(Parameter<UUID>)
        case styles
        case role(Parameter<UUID>)
        case seatQuota(Parameter<UUID>)
        case remove(Parameter<UUID>)
        case leave
        case start
        case teamHeadshot
        case memberHeadshot(Parameter<UUID>)
        case headshotsZip
        case membersCSV
        case remind(Parameter<UUID>)
        case tokens
        case revokeToken(Parameter<UUID>)
        case refundPurchase(Parameter<UUID>)

        package static func segments(_ page: Self) -> [PathSegment] {
            switch page {
            case .seats: [.constant("seats")]
            case .invitations: [.constant("invitations")]
            case .links: [.constant("links")]
            case .resend(let invitation): [.constant("invitations"), .parameter("invitationID", invitation), .constant("resend")]
            case .revoke(let invitation): [.constant("invitations"), .parameter("invitationID", invitation), .constant("revoke")]
            case .styles: [.constant("styles")]
            case .role(let user): [.constant("members"), .parameter("userID", user), .constant("role")]
            case .remove(let user): [.constant("members"), .parameter("userID", user), .constant("remove")]
            case .seatQuota(let user): [.constant("members"), .parameter("userID", user), .constant("seat-quota")]
            case .leave: [.constant("leave")]
            case .start: [.constant("start")]
            case .teamHeadshot: [.constant("team-headshot")]
            case .memberHeadshot(let user): [.constant("headshots"), .parameter("userID", user)]
            case .headshotsZip: [.constant("team-headshots.zip")]
            case .membersCSV: [.constant("members.csv")]
            case .remind(let user): [.constant("members"), .parameter("userID", user), .constant("remind")]
            case .tokens: [.constant("tokens")]
            case .refundPurchase(let order): [.constant("purchases"), .parameter("orderID", order), .constant("refund")]
            case .revokeToken(let token): [.constant("tokens"), .parameter("tokenID", token), .constant("revoke")]
            }
        }
    }
}
