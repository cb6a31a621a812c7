import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The team pages and their forms; every action is `Teams`', `TeamInvitations`' or `TeamOrders`',
/// shared with the API. Refusals a person can act on come back on the team page.
struct TeamPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.teams, use: list)
        routes.post(SiteURL.teams, use: create)
        routes.get(SiteURL.team(.key, nil), use: show)
        routes.post(SiteURL.team(.key, .seats), use: buySeats)
        routes.post(SiteURL.team(.key, .invitations), use: invite)
        routes.post(SiteURL.team(.key, .links), use: createLink)
        routes.post(SiteURL.team(.key, .resend(.key)), use: resend)
        routes.post(SiteURL.team(.key, .revoke(.key)), use: revoke)
        routes.post(SiteURL.team(.key, .styles), use: setStyles)
        routes.post(SiteURL.team(.key, .role(.key)), use: setRole)
        routes.post(SiteURL.team(.key, .seatQuota(.key)), use: setSeatQuota)
        routes.post(SiteURL.team(.key, .remove(.key)), use: remove)
        routes.post(SiteURL.team(.key, .leave), use: leave)
        routes.post(SiteURL.team(.key, .start), use: start)
        routes.post(SiteURL.team(.key, .teamHeadshot), use: setTeamHeadshot)
        routes.post(SiteURL.order(.key, .submit), use: submit)
        routes.get(SiteURL.team(.key, .memberHeadshot(.key)), use: { req in try await TeamFiles(req: req, services: services).thumbnail() })
        routes.get(SiteURL.team(.key, .headshotsZip), use: { req in try await TeamFiles(req: req, services: services).zip() })
        routes.get(SiteURL.team(.key, .membersCSV), use: { req in try await TeamFiles(req: req, services: services).csv() })
        routes.post(SiteURL.team(.key, .remind(.key)), use: remind)
        routes.post(SiteURL.team(.key, .tokens), use: createToken)
        routes.post(SiteURL.team(.key, .refundPurchase(.key)), use: refundPurchase)
        routes.post(SiteURL.team(.key, .revokeToken(.key)), use: revokeToken)
    }

    func teams(_ req: Request) -> Teams { Teams(db: req.db, services: services, actor: req.actor) }
    func invitations(_ req: Request) -> TeamInvitations { TeamInvitations(db: req.db, services: services, actor: req.actor) }
    func teamID(_ req: Request) -> UUID? { req.parameters.get("teamID", as: UUID.self) }

    @Sendable func list(req: Request) async throws -> Response {
        TeamPages.list(req.viewer, teams: try await teams(req).teams(of: try req.requireUser().requireID()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        struct Form: Content { var name: String? }
        let userID = try req.requireUser().requireID()
        do {
            let access = try await teams(req).create(name: (try? req.content.decode(Form.self))?.name ?? "", owner: userID)
            return req.redirect(to: SiteURL.team(.value(access.teamID), nil).path, redirectType: .normal)
        } catch let failure as Failure where failure.kind == .invalid {
            return TeamPages.list(req.viewer, teams: try await teams(req).teams(of: userID), error: failure.reason, status: .unprocessableEntity)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let notice: String? = switch req.query[String.self, at: "notice"] {
        case "invited": "Invitations sent."
        case "resent": "Invitation sent again, with a new link valid for 7 days."
        case "revoked": "Invitation withdrawn: its link no longer works."
        case "styles": "Team styles saved."
        case "role": "Role changed."
        case "seat-quota": "Seats changed."
        case "removed": "Member removed."
        case "joined": "Welcome to the team."
        case "reminded": "Reminder sent."
        case "shared": "Your team headshot is saved: the team's managers see it in the team gallery."
        case "token_revoked": "Token revoked: it no longer works."
        case "seats_refunded": "Refunded: the purchase's free seats are taken back and the money goes back to the card it was paid with."
        case "seats_refund_requested": "Your refund request for the free seats is with our support team; they will tell you by email."
        default: req.query[String.self, at: "purchase"] != nil ? "Thank you: your seats appear here as soon as the payment is confirmed." : nil
        }
        return try await page(req, notice: notice)
    }

    /// The team page, with a notice, an error or a link just created.
    func page(_ req: Request, notice: String? = nil, error: String? = nil, createdLink: String? = nil, createdToken: String? = nil,
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let userID = try req.requireUser().requireID()
        let access = try await teams(req).access(teamID(req), user: userID)
        let now = services.clock.now()
        let dashboard = access.role.manages ? try await TeamDashboard.load(team: access.teamID, at: now, on: req.db) : nil
        var ledger = dashboard?.ledger
        if ledger == nil { ledger = try await TeamSeats.ledger(of: access.teamID, at: now, on: req.db) }
        let (orders, myHeadshots) = try await TeamOrders.own(of: userID, in: access.teamID, on: req.db)
        let view = TeamPages.TeamView(
            access: access, dashboard: dashboard, ledger: ledger!,
            invitations: access.role.manages ? try await invitations(req).list(access.teamID, by: userID) : [],
            packages: access.role == .owner ? try await Catalog.activePackages(on: req.db) : [],
            purchases: access.role == .owner ? try await teams(req).purchases(of: access.teamID) : [],
            orders: orders, myHeadshots: myHeadshots,
            gallery: access.role.manages ? try await TeamGallery.items(of: access.teamID, on: req.db) : [], now: now,
            tokens: access.role.manages ? try await TeamTokens(db: req.db, services: services, actor: req.actor).list(access.teamID, by: userID) : [],
            notice: notice, error: error, createdLink: createdLink, createdToken: createdToken)
        return TeamPages.team(req.viewer, view, status: status)
    }

    /// Runs a form's action; a refusal the person can act on is shown on the team page.
    func act(_ req: Request, done notice: String, _ action: () async throws -> Void) async throws -> Response {
        do {
            try await action()
        } catch let error as any DomainError where [.invalid, .conflict, .forbidden, .gone].contains(error.kind) {
            return try await page(req, error: error.reason, status: error.kind == .forbidden ? .forbidden : error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.team(.value(teamID(req) ?? UUID()), nil).path(["notice": notice]), redirectType: .normal)
    }

    @Sendable func buySeats(req: Request) async throws -> Response {
        struct Form: Content { var seats: String?; var package: String? }
        let form = try req.content.decode(Form.self)
        do {
            let (_, session, _) = try await teams(req).buySeats(teamID(req), seats: Int(form.seats ?? "") ?? 0, package: form.package ?? "", by: try req.requireUser())
            return req.redirect(to: SiteURL.sameSite(session.url, base: services.config.baseURL), redirectType: .normal)
        } catch let failure as Failure where failure.kind == .invalid {
            return try await page(req, error: failure.reason, status: .unprocessableEntity)
        }
    }

    @Sendable func invite(req: Request) async throws -> Response {
        struct Form: Content { var emails: String? }
        let text = (try? req.content.decode(Form.self))?.emails ?? ""
        let emails = text.split(whereSeparator: { $0.isNewline || $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        return try await act(req, done: "invited") {
            _ = try await invitations(req).invite(teamID(req), emails: emails, by: try req.requireUser().requireID())
        }
    }

    @Sendable func createLink(req: Request) async throws -> Response {
        struct Form: Content {
            var allowedDomain: String?
            var maxUses: String?
            var expiresInDays: String?
        }
        let form = try req.content.decode(Form.self)
        let maxUses = form.maxUses.flatMap { $0.isEmpty ? nil : (Int($0) ?? 0) }
        let days = form.expiresInDays.flatMap { $0.isEmpty ? nil : (Int($0) ?? 0) }
        do {
            let created = try await invitations(req).createLink(teamID(req), domain: form.allowedDomain, maxUses: maxUses, expiresInDays: days,
                                                                by: try req.requireUser().requireID())
            return try await page(req, notice: "Link created.", createdLink: created.url, status: .created)
        } catch let failure as Failure where failure.kind == .invalid {
            return try await page(req, error: failure.reason, status: .unprocessableEntity)
        }
    }

    @Sendable func resend(req: Request) async throws -> Response {
        try await act(req, done: "resent") {
            _ = try await invitations(req).resend(teamID(req), invitation: req.parameters.get("invitationID", as: UUID.self), by: try req.requireUser().requireID())
        }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        try await act(req, done: "revoked") {
            try await invitations(req).revoke(teamID(req), invitation: req.parameters.get("invitationID", as: UUID.self), by: try req.requireUser().requireID())
        }
    }

    @Sendable func setStyles(req: Request) async throws -> Response {
        struct Form: Content {
            var presets: [String]?
            /// "on" when the owner ticked "Paint drawn backdrops in our colour".
            var brand: String?
            var backdropColour: String?
        }
        let form = try? req.content.decode(Form.self)
        let backdrop = form?.brand == "on" ? (form?.backdropColour ?? "") : nil
        return try await act(req, done: "styles") {
            _ = try await teams(req).setStyles(teamID(req), presets: form?.presets ?? [], backdrop: backdrop, by: try req.requireUser().requireID())
        }
    }

    @Sendable func setRole(req: Request) async throws -> Response {
        struct Form: Content { var role: String? }
        let role = TeamRole(rawValue: (try? req.content.decode(Form.self))?.role ?? "") ?? .member
        return try await act(req, done: "role") {
            _ = try await teams(req).setRole(teamID(req), member: req.parameters.get("userID", as: UUID.self), role: role, by: try req.requireUser().requireID())
        }
    }

    @Sendable func setSeatQuota(req: Request) async throws -> Response {
        struct Form: Content { var seats: String? }
        let seats = Int((try? req.content.decode(Form.self))?.seats ?? "") ?? -1
        return try await act(req, done: "seat-quota") {
            _ = try await teams(req).setSeatQuota(teamID(req), member: req.parameters.get("userID", as: UUID.self), seats: seats,
                                                  by: try req.requireUser().requireID())
        }
    }

    @Sendable func remove(req: Request) async throws -> Response {
        try await act(req, done: "removed") {
            try await teams(req).remove(teamID(req), member: req.parameters.get("userID", as: UUID.self), by: try req.requireUser().requireID())
        }
    }

    /// A team token, shown once on the page that answers.
    @Sendable func createToken(req: Request) async throws -> Response {
        struct Form: Content { var name: String?; var expiresInDays: String? }
        let form = try? req.content.decode(Form.self)
        let request = CreateTokenRequest(name: form?.name ?? "", expiresInDays: form?.expiresInDays.flatMap { Int($0) })
        do {
            let created = try await TeamTokens(db: req.db, services: services, actor: req.actor)
                .create(teamID(req), request, by: try req.requireUser().requireID(), authenticatedBy: .session)
            return try await page(req, notice: "Token created.", createdToken: created.plaintext, status: .created)
        } catch let error as any DomainError where error.kind == .invalid {
            return try await page(req, error: error.reason, status: .unprocessableEntity)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        try await act(req, done: "token_revoked") {
            try await TeamTokens(db: req.db, services: services, actor: req.actor)
                .revoke(teamID(req), token: req.parameters.get("tokenID", as: UUID.self), by: try req.requireUser().requireID())
        }
    }

    /// The owner asks for a seat purchase's free seats to be refunded (the same policy as any order).
    @Sendable func refundPurchase(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let purchase = try await teams(req).purchase(teamID(req), req.parameters.get("orderID", as: UUID.self), by: try user.requireID())
        let refund: RefundRequest
        do {
            refund = try await Refunds(req, services: services).ask(for: purchase, by: user, reason: "free seats, asked on the team page")
        } catch let error as any DomainError where error.kind == .conflict {
            return try await page(req, error: error.reason, status: .conflict)
        }
        let notice = refund.status == .refunded ? "seats_refunded" : "seats_refund_requested"
        return req.redirect(to: SiteURL.team(.value(purchase.teamID ?? UUID()), nil).path(["notice": notice]), redirectType: .normal)
    }

    @Sendable func remind(req: Request) async throws -> Response {
        try await act(req, done: "reminded") {
            try await teams(req).remind(teamID(req), member: req.parameters.get("userID", as: UUID.self), by: try req.requireUser().requireID())
        }
    }
}
