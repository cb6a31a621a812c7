import Foundation

/// The JSON API's paths, relative to `/api/v1` (its OpenAPI document's server).
package enum APIURL: SitePath {
    case openAPI
    case packages
    case turnaround
    case presets
    case consentPolicy
    case users
    case authToken
    case authEmailVerification
    case passwordResetRequests
    case passwordResets
    case me(Me?)
    /// The user's own activity log.
    case accountActivity
    case orders
    case order(Parameter<UUID>, Order?)
    case approveRefund(Parameter<UUID>)
    case rejectRefund(Parameter<UUID>)
    case notifications
    case notificationRead(Parameter<UUID>)
    case deletionRequests
    case deletionRequest(Parameter<UUID>)
    case deletionReceipt(Parameter<UUID>)
    case dataExports
    case dataExport(Parameter<UUID>)
    case supportTickets
    case supportTicket(Parameter<UUID>)
    case supportTicketMessages(Parameter<UUID>)
    case contactMessages
    case teams
    case team(Parameter<UUID>, Team?)
    /// Accepting an invitation (its token in the body).
    case invitationAcceptances
    /// The staff console's twin, at the console's own paths under `/api/v1/admin` (nil: its overview):
    /// tokens of support and admin users only.
    case admin(SiteURL.AdminPage?)

    package enum Team: Sendable {
        case seatPurchases
        case invitations
        case invitation(Parameter<UUID>)
        case invitationResend(Parameter<UUID>)
        case links
        case styles
        case members
        case member(Parameter<UUID>)
        case seatQuota(Parameter<UUID>)
        case membership
        case orders
        case teamHeadshot
        case headshots
        case memberHeadshot(Parameter<UUID>)
        case headshotsZip
        case membersCSV
        case reminder(Parameter<UUID>)
        case tokens
        case token(Parameter<UUID>)
        case purchaseRefunds(Parameter<UUID>)
    }

    package enum Me: Sendable {
        case password
        case emailVerification
        case tokens
        case token(Parameter<UUID>)
        case sessions
        case session(Parameter<UUID>)
    }

    package enum Order: Sendable {
        case photos
        case readiness
        case plan
        case photo(Parameter<UUID>)
        case removeUnusable
        case thumbnail(Parameter<UUID>)
        case checkout
        case status
        case refundRequests
        case reruns
        case headshots
        case headshotThumbnail(Parameter<UUID>)
        case favourite(Parameter<UUID>)
        case bundles
        case shares(Parameter<UUID>)
        case share(Parameter<UUID>)
        case teamSubmission
    }

    package var segments: [PathSegment] {
        switch self {
        case .openAPI: [.constant("openapi.json")]
        case .packages: [.constant("packages")]
        case .turnaround: [.constant("turnaround")]
        case .presets: [.constant("presets")]
        case .consentPolicy: [.constant("consent-policy")]
        case .users: [.constant("users")]
        case .authToken: [.constant("auth"), .constant("token")]
        case .authEmailVerification: [.constant("auth"), .constant("email-verification")]
        case .passwordResetRequests: [.constant("auth"), .constant("password-reset-requests")]
        case .passwordResets: [.constant("auth"), .constant("password-resets")]
        case .me(let part):
            [.constant("me")] + {
                switch part {
                case nil: []
                case .password: [.constant("password")]
                case .emailVerification: [.constant("email-verification")]
                case .tokens: [.constant("tokens")]
                case .token(let id): [.constant("tokens"), .parameter("tokenID", id)]
                case .sessions: [.constant("sessions")]
                case .session(let id): [.constant("sessions"), .parameter("sessionID", id)]
                }
            }()
        case .accountActivity: [.constant("account"), .constant("activity")]
        case .orders: [.constant("orders")]
        case .order(let id, let part):
            [.constant("orders"), .parameter("orderID", id)] + {
                switch part {
                case nil: []
                case .photos: [.constant("photos")]
                case .readiness: [.constant("photos"), .constant("readiness")]
                case .plan: [.constant("plan")]
                case .photo(let photo): [.constant("photos"), .parameter("photoID", photo)]
                case .removeUnusable: [.constant("photos"), .constant("remove-unusable")]
                case .thumbnail(let photo): [.constant("photos"), .parameter("photoID", photo), .constant("thumbnail")]
                case .checkout: [.constant("checkout")]
                case .status: [.constant("status")]
                case .refundRequests: [.constant("refund-requests")]
                case .reruns: [.constant("reruns")]
                case .headshots: [.constant("headshots")]
                case .headshotThumbnail(let asset): [.constant("headshots"), .parameter("assetID", asset), .constant("thumbnail")]
                case .favourite(let asset): [.constant("headshots"), .parameter("assetID", asset), .constant("favourite")]
                case .bundles: [.constant("bundles")]
                case .shares(let asset): [.constant("headshots"), .parameter("assetID", asset), .constant("shares")]
                case .share(let share): [.constant("shares"), .parameter("shareID", share)]
                case .teamSubmission: [.constant("team-submission")]
                }
            }()
        case .approveRefund(let id): [.constant("refund-requests"), .parameter("refundID", id), .constant("approve")]
        case .rejectRefund(let id): [.constant("refund-requests"), .parameter("refundID", id), .constant("reject")]
        case .notifications: [.constant("notifications")]
        case .notificationRead(let id): [.constant("notifications"), .parameter("notificationID", id), .constant("read")]
        case .deletionRequests: [.constant("deletion-requests")]
        case .deletionRequest(let id): [.constant("deletion-requests"), .parameter("deletionID", id)]
        case .deletionReceipt(let id): [.constant("deletion-receipts"), .parameter("receiptID", id)]
        case .dataExports: [.constant("data-exports")]
        case .dataExport(let id): [.constant("data-exports"), .parameter("exportID", id)]
        case .supportTickets: [.constant("support-tickets")]
        case .supportTicket(let id): [.constant("support-tickets"), .parameter("ticketID", id)]
        case .supportTicketMessages(let id): [.constant("support-tickets"), .parameter("ticketID", id), .constant("messages")]
        case .admin(let page): [.constant("admin")] + (page.map(SiteURL.AdminPage.segments) ?? [])
        case .contactMessages: [.constant("contact-messages")]
        case .teams: [.constant("teams")]
        case .team(let id, let part):
            [.constant("teams"), .parameter("teamID", id)] + {
                switch part {
                case nil: []
                case .seatPurchases: [.constant("seat-purchases")]
                case .invitations: [.constant("invitations")]
                case .invitation(let invitation): [.constant("invitations"), .parameter("invitationID", invitation)]
                case .invitationResend(let invitation): [.constant("invitations"), .parameter("invitationID", invitation), .constant("resend")]
                case .links: [.constant("invitation-links")]
                case .styles: [.constant("styles")]
                case .members: [.constant("members")]
                case .member(let user): [.constant("members"), .parameter("userID", user)]
                case .seatQuota(let user): [.constant("members"), .parameter("userID", user), .constant("seat-quota")]
                case .membership: [.constant("membership")]
                case .orders: [.constant("orders")]
                case .teamHeadshot: [.constant("team-headshot")]
                case .headshots: [.constant("headshots")]
                case .memberHeadshot(let user): [.constant("headshots"), .parameter("userID", user)]
                case .headshotsZip: [.constant("team-headshots.zip")]
                case .membersCSV: [.constant("members.csv")]
                case .reminder(let user): [.constant("members"), .parameter("userID", user), .constant("reminders")]
                case .tokens: [.constant("tokens")]
                case .token(let token): [.constant("tokens"), .parameter("tokenID", token)]
                case .purchaseRefunds(let order): [.constant("seat-purchases"), .parameter("orderID", order), .constant("refund-requests")]
                }
            }()
        case .invitationAcceptances: [.constant("invitation-acceptances")]
        }
    }

    /// Where the API is mounted: its routes are registered on a group with this prefix.
    package static let prefix = ["api", "v1"]
    /// `/api/v1`: the OpenAPI document's server path.
    package static var root: String { "/" + prefix.joined(separator: "/") }

    /// The full path a client calls, under `/api/v1`.
    package var sitePath: String { SiteURL.api(self).path }
}
