import Foundation
import HeadshotCore
import Plot
import SiteRoutes
import Vapor

/// The team pages: the list of one's teams and a team's page (the manager's dashboard, or a member's
/// view of who pays and what the team sees). The join page and a member's submit form are in
/// `TeamPages+Joining.swift`.
enum TeamPages {
    /// What the team's managers see of a member, stated wherever someone joins or submits.
    static let visibility = "The team's owner and managers see your name, your email, how far along you are (invited, uploading, in the queue, done) and the one headshot you choose to share with the team. They never see your selfies or your other headshots."

    static func list(_ viewer: Viewer, teams: [Teams.Access], error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: "Your teams")
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("teams"),
                .h1("Your teams"),
                .p("A team buys seats once and invites colleagues: each makes their own headshots on a seat, in the team's styles."),
                .if(teams.isEmpty, .p(.id("no-teams"), "You are not in a team yet.")),
                .ul(.class("teams"), .forEach(teams) { access in
                    .li(.a(.href(SiteURL.team(.value(access.teamID), nil).path), .strong(.text(access.team.name))),
                        .text(" · " + roleLabel(access.role)))
                }),
                .h2("Create a team"),
                FormComponents.alert(error),
                .form(.method(.post), .action(SiteURL.teams.path), .id("create-team"),
                    Layout.csrfField(context.csrf),
                    FormComponents.field(.init(name: "name", label: "Team or company name", value: nil, autocomplete: "organization", error: error)),
                    .button(.type(.submit), .class("button"), "Create team"))
            )
        )
    }

    static func roleLabel(_ role: TeamRole) -> String {
        switch role {
        case .owner: "Owner"
        case .manager: "Manager"
        case .member: "Member"
        }
    }

    struct TeamView {
        let access: Teams.Access
        let dashboard: TeamDashboard?
        let ledger: SeatPricing.Ledger
        let invitations: [TeamInvitation]
        let packages: [Package]
        let purchases: [Order]
        /// The member's own team orders.
        let orders: [Order]
        /// The member's ready headshots of completed team orders, to pick their team headshot from.
        let myHeadshots: [GeneratedAsset]
        /// Managers: the headshots members shared.
        let gallery: [TeamGallery.Item]
        let now: Date
        /// Managers: the team's API tokens that still work.
        var tokens: [APIToken] = []
        var notice: String? = nil
        var error: String? = nil
        /// An open link just created: shown this once.
        var createdLink: String? = nil
        /// A team token just created: shown this once.
        var createdToken: String? = nil
    }

    static func team(_ viewer: Viewer, _ view: TeamView, status: HTTPResponseStatus = .ok) -> Response {
        let context = PageContext(viewer, title: view.access.team.name)
        let role = view.access.role
        let styles = Teams.allowedPresets(of: view.access.team)
        return Layout.page(context, status: status,
            .section(.class("panel"), .id("team"),
                .h1(.text(view.access.team.name)),
                .p(.class("hint"), .text("You are the team's \(roleLabel(role).lowercased()).")),
                FormComponents.notice(view.notice),
                FormComponents.alert(view.error),
                .p(.id("seat-summary"), .text("Seats: \(view.ledger.purchased) bought, \(view.ledger.used) used, \(view.ledger.reserved) kept for invited people, \(view.ledger.free) free.")),
                .p(.id("team-styles"), .text("Styles members may pick: " + styles.map(\.name).joined(separator: ", ") + ".")),
                memberSection(context, view),
                .if(role.manages, managerSections(context, view)),
                .if(role == .owner, ownerSections(context, view))
            ),
            .script(.src(SiteURL.asset(.script("team.js")).path), .attribute(named: "defer", value: "defer"))
        )
    }

    /// Everyone's part: who pays, what the team sees, one's own team headshots.
    private static func memberSection(_ context: PageContext, _ view: TeamView) -> Node<HTML.BodyContext> {
        let teamID = view.access.teamID
        return .div(.id("my-headshots"),
            .h2("Your headshots"),
            .p(.text("\(view.access.team.name) pays for your headshots with one of its seats: you never pay. ")),
            .p(.class("hint"), .id("team-visibility"), .text(visibility)),
            .ul(.id("my-team-orders"), .forEach(view.orders) { order in
                .li(.a(.href(SiteURL.order(.value(order.id ?? UUID()), nil).path), .text(order.createdAt.map { "Order of " + DateText.long($0) } ?? "Your order")),
                    .text(" · " + order.status.label))
            }),
            .if(!view.myHeadshots.isEmpty, .group(
                .h3("Your team headshot"),
                .p(.class("hint"), "Choose the one headshot the team may see and download; the others stay yours alone."),
                .form(.method(.post), .action(SiteURL.team(.value(teamID), .teamHeadshot).path), .id("team-headshot-form"),
                    Layout.csrfField(context.csrf),
                    .ul(.class("latest-grid"), .forEach(view.myHeadshots) { asset in
                        .li(headshotChoice(asset, chosen: view.access.member.teamHeadshotID == asset.id))
                    }),
                    .button(.type(.submit), .class("button"), .id("share-team-headshot"), "Share with the team")))),
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .start).path), .id("start-team-order"),
                Layout.csrfField(context.csrf),
                .button(.type(.submit), .class("button"), .text(view.orders.contains { $0.status == .draft } ? "Continue with your selfies" : "Make my headshots"))),
            .if(view.access.role != .owner,
                .form(.method(.post), .action(SiteURL.team(.value(teamID), .leave).path), .class("inline"), .id("leave-team"),
                    Layout.csrfField(context.csrf),
                    .button(.type(.submit), .class("link"), "Leave the team (you keep your headshots)")))
        )
    }

    private static func managerSections(_ context: PageContext, _ view: TeamView) -> Node<HTML.BodyContext> {
        let teamID = view.access.teamID
        let rows = view.dashboard?.rows ?? []
        return .group(
            .h2("Members"),
            .table(.id("team-members"), .data(named: "api", value: SiteURL.api(.team(.value(teamID), .members)).path),
                .thead(.tr(.th("Person"), .th("Role"), .th("State"), .th(""))),
                .tbody(.forEach(rows) { row in
                    .tr(.class("member"), .data(named: "email", value: row.email),
                        .td(.text(row.name.map { "\($0) <\(row.email)>" } ?? row.email)),
                        .td(.text(row.role.map(roleLabel) ?? "Invited")),
                        .td(.span(.class("member-state state-\(row.state.rawValue)"), .text(row.state.label)),
                            .unwrap(row.note) { .span(.class("hint"), .text(" " + $0)) }),
                        .td(memberActions(context, teamID: teamID, row: row, viewer: view.access.role)))
                })),
            .p(.a(.href(SiteURL.team(.value(teamID), .membersCSV).path), .id("members-csv"), "Download the members as CSV")),
            .h2("Team gallery"),
            .p(.class("hint"), "The one headshot each member chose to share. Never their selfies or their other headshots."),
            .if(view.gallery.isEmpty, .p(.id("no-team-headshots"), "No member has shared a team headshot yet.")),
            .ul(.class("latest-grid"), .id("team-gallery"), .forEach(view.gallery) { item in
                .li(.img(.src(SiteURL.team(.value(teamID), .memberHeadshot(.value(item.userID))).path), .alt("Team headshot of \(item.name ?? item.email)"),
                         .attribute(named: "width", value: "160")),
                    .p(.class("hint"), .text(item.name ?? item.email)))
            }),
            .if(!view.gallery.isEmpty, .p(.a(.class("button"), .id("team-zip"), .href(SiteURL.team(.value(teamID), .headshotsZip).path),
                                              .text("Download the \(view.gallery.count) team headshots (ZIP)")))),
            .h2("Invite by email"),
            .p(.class("hint"), .text("Each person gets a personal link that works once, for 7 days. A pending invitation keeps a seat; withdraw it to free the seat.")),
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .invitations).path), .id("invite-form"),
                Layout.csrfField(context.csrf),
                .div(.class("field"),
                    .label(.for("emails"), "Email addresses, one per line"),
                    .textarea(.attribute(named: "id", value: "emails"), .attribute(named: "name", value: "emails"), .attribute(named: "rows", value: "4"),
                              .attribute(named: "required", value: "required"))),
                .button(.type(.submit), .class("button"), .id("send-invitations"), "Send invitations")),
            .h2("Invitation link"),
            .p(.class("hint"), .text("Anyone with the link can join (a link keeps no seat: members spend a free seat when they submit).")),
            .unwrap(view.createdLink) { link in
                .p(.id("created-link"), .text("Your link (copy it now, it is shown once): "), .code(.text(link)))
            },
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .links).path), .id("link-form"),
                Layout.csrfField(context.csrf),
                FormComponents.field(.init(name: "allowed_domain", label: "Only addresses at (optional)", type: .text, autocomplete: "off",
                                           hint: "For example example.com", required: false)),
                FormComponents.field(.init(name: "max_uses", label: "How many people may use it (optional)", type: .number, autocomplete: "off", required: false)),
                FormComponents.field(.init(name: "expires_in_days", label: "Valid for (days)", type: .number, value: "7", autocomplete: "off", required: false)),
                .button(.type(.submit), .class("button"), "Create link")),
            .h2("Invitations"),
            .ul(.id("team-invitations"), .forEach(view.invitations) { invitation in
                let dto = InvitationDTO(invitation, now: view.now)
                return .li(.class("invitation"), .data(named: "status", value: dto.status.rawValue),
                    .text(invitation.kind == .email ? (invitation.email ?? "") : "Open link" + (invitation.allowedDomain.map { " for @\($0)" } ?? "")
                          + (invitation.maxUses.map { ", \(invitation.uses) of \($0) used" } ?? ", used \(invitation.uses) times")),
                    .text(" · \(dto.status.rawValue) · expires \(DateText.short(invitation.expiresAt))"),
                    .if(dto.status == .pending || dto.status == .expired, .group(
                        .if(invitation.kind == .email,
                            .form(.method(.post), .action(SiteURL.team(.value(teamID), .resend(.value(invitation.id ?? UUID()))).path), .class("inline"),
                                  Layout.csrfField(context.csrf), .button(.type(.submit), .class("link"), "Send again"))),
                        .form(.method(.post), .action(SiteURL.team(.value(teamID), .revoke(.value(invitation.id ?? UUID()))).path), .class("inline"),
                              Layout.csrfField(context.csrf), .button(.type(.submit), .class("link"), "Withdraw")))))
            }),
            tokenSection(context, view)
        )
    }

    /// Team tokens: for an HR system or a script that invites and follows members through the API.
    private static func tokenSection(_ context: PageContext, _ view: TeamView) -> Node<HTML.BodyContext> {
        let teamID = view.access.teamID
        return .group(
            .h2("API tokens for this team"),
            .p(.class("hint"), .text("A team token can only do what a manager does for this team through the API: see the team and its members, "
                + "invite, withdraw and remind, and download the team gallery and the members' CSV. It cannot buy seats, change styles or roles, "
                + "or reach anything else of yours. It stops working when you stop managing the team.")),
            .unwrap(view.createdToken) { token in
                .p(.id("created-token"), .text("Your token (copy it now, it is shown once): "), .code(.class("token"), .text(token)))
            },
            .if(!view.tokens.isEmpty, .ul(.id("team-tokens"), .forEach(view.tokens) { token in
                .li(.class("team-token"),
                    .text("\(token.name) · \(token.tokenPrefix)… · "
                          + (token.expiresAt.map { "expires \(DateText.short($0))" } ?? "no expiry")
                          + (token.lastUsedAt.map { " · last used \(DateText.short($0))" } ?? " · never used")),
                    .text(" "),
                    .form(.method(.post), .action(SiteURL.team(.value(teamID), .revokeToken(.value(token.id ?? UUID()))).path), .class("inline"),
                          Layout.csrfField(context.csrf), .button(.type(.submit), .class("link"), "Revoke")))
            })),
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .tokens).path), .id("team-token-form"),
                Layout.csrfField(context.csrf),
                FormComponents.field(.init(name: "name", label: "Token name", type: .text, autocomplete: "off", hint: "For example HR onboarding")),
                FormComponents.field(.init(name: "expires_in_days", label: "Valid for (days, at most \(CreateTokenRequest.maximumDays))", type: .number,
                                           value: "\(CreateTokenRequest.defaultDays)", autocomplete: "off", required: false)),
                .button(.type(.submit), .class("button"), "Create token"))
        )
    }

    private static func memberActions(_ context: PageContext, teamID: UUID, row: TeamDashboard.Row, viewer: TeamRole) -> Node<HTML.BodyContext> {
        guard let userID = row.userID, let role = row.role else { return .empty }
        // Every member, the owner too, spends the team's seats up to their share.
        let quota: Node<HTML.BodyContext> = .unwrap(row.seatQuota) { seats in
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .seatQuota(.value(userID))).path), .class("inline seat-quota"),
                  Layout.csrfField(context.csrf),
                  .label(.text("Seats used \(row.seatsUsed ?? 0) of "),
                         .input(.type(.number), .name("seats"), .value(String(seats)), .attribute(named: "min", value: "\(Teams.seatQuotaRange.lowerBound)"),
                                .attribute(named: "max", value: "\(Teams.seatQuotaRange.upperBound)"), .class("seat-quota-input"))),
                  .button(.type(.submit), .class("link"), "Save"))
        }
        guard role != .owner else { return quota }
        let remind: Node<HTML.BodyContext> = [.joined, .uploading, .needsAttention].contains(row.state)
            ? .form(.method(.post), .action(SiteURL.team(.value(teamID), .remind(.value(userID))).path), .class("inline"),
                    Layout.csrfField(context.csrf), .button(.type(.submit), .class("link"), "Remind"))
            : .empty
        return .group(remind, .text(" "), quota, .text(" "),
            .if(viewer == .owner,
                .form(.method(.post), .action(SiteURL.team(.value(teamID), .role(.value(userID))).path), .class("inline"),
                      Layout.csrfField(context.csrf),
                      .input(.type(.hidden), .name("role"), .value(role == .manager ? "member" : "manager")),
                      .button(.type(.submit), .class("link"), .text(role == .manager ? "Make member" : "Make manager")))),
            .text(" "),
            .if(viewer == .owner || role == .member,
                .form(.method(.post), .action(SiteURL.team(.value(teamID), .remove(.value(userID))).path), .class("inline"),
                      Layout.csrfField(context.csrf), .button(.type(.submit), .class("link"), "Remove")))
        )
    }

    private static func ownerSections(_ context: PageContext, _ view: TeamView) -> Node<HTML.BodyContext> {
        let teamID = view.access.teamID
        let chosen = Set(Teams.allowedPresets(of: view.access.team))
        return .group(
            .h2("Buy seats"),
            .p(.class("hint"), .id("volume-pricing"), .text(volumeSentence)),
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .seats).path), .id("buy-seats"),
                Layout.csrfField(context.csrf),
                .div(.class("field"),
                    .label(.for("package"), "Package"),
                    .select(.attribute(named: "id", value: "package"), .attribute(named: "name", value: "package"),
                            .group(view.packages.map { package -> Node<HTML.SelectContext> in
                                .element(named: "option", nodes: [.attribute(named: "value", value: package.code), .text(packageLine(package))])
                            }))),
                FormComponents.field(.init(name: "seats", label: "Seats", type: .number, value: "5", autocomplete: "off")),
                .button(.type(.submit), .class("button"), .id("buy-seats-button"), "Continue to payment")),
            .if(!view.purchases.isEmpty, .group(
                .h3("Purchases"),
                .p(.class("hint"), .text("A purchase's free seats can be refunded (\(RefundPolicy.automaticDays) days after paying at once, later by our support team); "
                    + "seats members used or invitations keep stay bought.")),
                .ul(.id("seat-purchases"), .forEach(view.purchases) { purchase in
                    .li(.text(purchaseLine(purchase)),
                        .if(purchase.status == .completed,
                            .form(.method(.post), .action(SiteURL.team(.value(teamID), .refundPurchase(.value(purchase.id ?? UUID()))).path), .class("inline"),
                                  Layout.csrfField(context.csrf), .text(" "), .button(.type(.submit), .class("link"), "Refund free seats"))))
                }))),
            .h2("Team styles"),
            .p(.class("hint"), "Members can only pick the styles you choose here."),
            .form(.method(.post), .action(SiteURL.team(.value(teamID), .styles).path), .id("styles-form"),
                Layout.csrfField(context.csrf),
                .forEach(StylePreset.allCases) { preset in styleBox(preset, checked: chosen.contains(preset)) },
                .h3("Backdrop colour"),
                .p(.class("hint"), .text("Paint every drawn backdrop (\(drawnBackdropNames)) in your brand colour, so the team's headshots match. "
                    + "Monochrome Classic shows it in black and white; Modern Office is a room and keeps its own colours.")),
                .label(.class("option"),
                    .input(.type(.checkbox), .name("brand"), .value("on"), .id("team-brand"),
                           .attribute(named: "checked", value: view.access.team.backdropColour != nil ? "checked" : nil)),
                    .text(" Paint drawn backdrops in our colour ")),
                .input(.attribute(named: "type", value: "color"), .name("backdrop_colour"), .id("team-backdrop-colour"),
                       .value(view.access.team.backdropColour ?? "#1f4e79"), .attribute(named: "aria-label", value: "Backdrop colour")),
                .button(.type(.submit), .class("button"), "Save styles"))
        )
    }

    /// The volume prices, from `SeatPricing`'s tiers.
    static var volumeSentence: String {
        let tiers = SeatPricing.tiers.reversed().map { tier -> String in
            tier.discountPercent == 0 ? "\(tier.minimumSeats)+ seats list price" : "\(tier.minimumSeats)+ seats −\(tier.discountPercent) %"
        }
        return "One seat is one person's headshots in a package. Volume price per seat: " + tiers.joined(separator: ", ") + "."
    }

    private static func packageLine(_ package: Package) -> String {
        "\(package.name): \(package.headshotCount) headshots, \(Money.format(minor: package.priceMinor, currency: package.currency)) a seat"
    }

    private static func headshotChoice(_ asset: GeneratedAsset, chosen: Bool) -> Node<HTML.BodyContext> {
        let id = asset.id ?? UUID()
        let radio: Node<HTML.LabelContext> = .input(.type(.radio), .name("headshot_id"), .value(id.uuidString.lowercased()),
                                                     .attribute(named: "checked", value: chosen ? "checked" : nil))
        return .label(radio, .img(.src(SiteURL.order(.value(asset.$order.id), .headshotThumbnail(.value(id))).path),
                                  .alt("Your headshot (\(StylePreset(rawValue: asset.preset)?.name ?? asset.preset))"), .attribute(named: "width", value: "120")))
    }

    /// The presets drawn on a backdrop (the ones a team colour paints), by name.
    static var drawnBackdropNames: String {
        StylePreset.allCases.filter(\.drawnBackdrop).map(\.name).joined(separator: ", ")
    }

    /// What a team's colour does to `presets`, or nil when the team has none or no drawn backdrop is among them.
    static func backdropSentence(_ colour: String?, team: String, presets: [StylePreset]) -> String? {
        guard let colour else { return nil }
        let painted = presets.filter(\.drawnBackdrop)
        guard !painted.isEmpty else { return nil }
        return "\(team)'s backdrop colour \(colour) is painted behind you in \(painted.map(\.name).joined(separator: ", "))."
    }

    /// The colour, shown as a (read-only) colour well: no inline style under the page's strict CSP.
    static func swatch<Context>(_ colour: String?) -> Node<Context> {
        guard let colour else { return .empty }
        return .element(named: "input", attributes: [.attribute(named: "type", value: "color"), .attribute(named: "value", value: colour),
                                                       .attribute(named: "disabled", value: "disabled"), .attribute(named: "aria-hidden", value: "true"),
                                                       .attribute(named: "class", value: "swatch")])
    }

    private static func styleBox(_ preset: StylePreset, checked: Bool) -> Node<HTML.FormContext> {
        let id = "team-preset-" + preset.rawValue
        let box: Node<HTML.LabelContext> = .input(.type(.checkbox), .name("presets[]"), .value(preset.rawValue), .id(id),
                                                   .attribute(named: "checked", value: checked ? "checked" : nil))
        return .label(.class("option"), box, .text(" " + preset.name))
    }

    private static func purchaseLine(_ purchase: Order) -> String {
        let amount = Money.format(minor: purchase.amountMinor ?? 0, currency: purchase.currency ?? "USD")
        let state: String = switch purchase.status {
        case .completed: "paid"
        case .awaitingPayment: "awaiting payment"
        default: purchase.status.rawValue
        }
        let name: String = purchase.$package.value??.name ?? "seat"
        return "\(purchase.seatCount ?? 0) × \(name) · \(amount) · \(state)"
    }
}
