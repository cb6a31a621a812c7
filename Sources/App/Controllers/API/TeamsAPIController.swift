import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The JSON twin of the team pages: teams, seats, invitations, styles, members and member orders.
struct TeamsAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get(APIURL.teams, use: list)
        signedIn.post(APIURL.teams, use: create)
        signedIn.delete(APIURL.team(.key, .membership), use: leave)
        signedIn.post(APIURL.team(.key, .seatPurchases), use: buySeats)
        signedIn.post(APIURL.team(.key, .purchaseRefunds(.key)), use: refundPurchase)
        signedIn.put(APIURL.team(.key, .member(.key)), use: setRole)
        signedIn.put(APIURL.team(.key, .seatQuota(.key)), use: setSeatQuota)
        signedIn.put(APIURL.team(.key, .styles), use: setStyles)
        signedIn.post(APIURL.team(.key, .orders), use: startOrder)
        signedIn.put(APIURL.team(.key, .teamHeadshot), use: setTeamHeadshot)
        signedIn.get(APIURL.team(.key, .tokens), use: tokens)
        signedIn.post(APIURL.team(.key, .tokens), use: createToken)
        signedIn.delete(APIURL.team(.key, .token(.key)), use: revokeToken)
        signedIn.post(APIURL.invitationAcceptances, use: accept)
        signedIn.post(APIURL.order(.key, .teamSubmission), use: submit)
        // The manager actions, which a team token may also call for its own team.
        let managerActions: [Route] = [
            signedIn.get(APIURL.team(.key, nil), use: show),
            signedIn.get(APIURL.team(.key, .members), use: members),
            signedIn.delete(APIURL.team(.key, .member(.key)), use: remove),
            signedIn.get(APIURL.team(.key, .invitations), use: invitations),
            signedIn.post(APIURL.team(.key, .invitations), use: invite),
            signedIn.delete(APIURL.team(.key, .invitation(.key)), use: revoke),
            signedIn.post(APIURL.team(.key, .invitationResend(.key)), use: resend),
            signedIn.post(APIURL.team(.key, .links), use: createLink),
            signedIn.get(APIURL.team(.key, .headshots), use: headshots),
            signedIn.get(APIURL.team(.key, .memberHeadshot(.key)), use: { req in try await TeamFiles(req: req, services: services).thumbnail() }),
            signedIn.get(APIURL.team(.key, .headshotsZip), use: { req in try await TeamFiles(req: req, services: services).zip() }),
            signedIn.get(APIURL.team(.key, .membersCSV), use: { req in try await TeamFiles(req: req, services: services).csv() }),
            signedIn.post(APIURL.team(.key, .reminder(.key)), use: remind),
        ]
        managerActions.forEach { $0.allowTeamTokens() }
    }

    private func teams(_ req: Request) -> Teams { Teams(db: req.db, services: services, actor: req.actor) }
    private func invitations(_ req: Request) -> TeamInvitations { TeamInvitations(db: req.db, services: services, actor: req.actor) }
    private func teamTokens(_ req: Request) -> TeamTokens { TeamTokens(db: req.db, services: services, actor: req.actor) }
    private func orders(_ req: Request) -> TeamOrders { TeamOrders(db: req.db, services: services, actor: req.actor) }
    private var now: Date { services.clock.now() }

    private func dto(_ access: Teams.Access, on db: any Database) async throws -> TeamDTO {
        TeamDTO(access, ledger: try await TeamSeats.ledger(of: access.teamID, at: now, on: db))
    }

    @Sendable func list(req: Request) async throws -> [TeamDTO] {
        var result: [TeamDTO] = []
        for access in try await teams(req).teams(of: try req.requireUser().requireID()) { result.append(try await dto(access, on: req.db)) }
        return result
    }

    @Sendable func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateTeamRequest.self)
        let access = try await teams(req).create(name: body.name, owner: try req.requireUser().requireID())
        return try await dto(access, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> TeamDTO {
        try await dto(try await teams(req).access(req.parameters.get("teamID", as: UUID.self), user: try req.requireUser().requireID()), on: req.db)
    }

    /// The manager's dashboard: members and invited people by state, and the seats.
    @Sendable func members(req: Request) async throws -> TeamDashboardDTO {
        let access = try await teams(req).managed(req.parameters.get("teamID", as: UUID.self), by: try req.requireUser().requireID())
        let dashboard = try await TeamDashboard.load(team: access.teamID, at: now, on: req.db)
        return TeamDashboardDTO(team: TeamDTO(access, ledger: dashboard.ledger), members: dashboard.rows.map(TeamMemberDTO.init))
    }

    @Sendable func setRole(req: Request) async throws -> Response {
        let body = try req.content.decode(TeamRoleRequest.self)
        let teamID = req.parameters.get("teamID", as: UUID.self)
        _ = try await teams(req).setRole(teamID, member: req.parameters.get("userID", as: UUID.self), role: body.role,
                                         by: try req.requireUser().requireID())
        return try await members(req: req).encodeResponse(for: req)
    }

    @Sendable func setSeatQuota(req: Request) async throws -> Response {
        let body = try req.content.decode(SeatQuotaRequest.self)
        _ = try await teams(req).setSeatQuota(req.parameters.get("teamID", as: UUID.self), member: req.parameters.get("userID", as: UUID.self),
                                              seats: body.seats, by: try req.requireUser().requireID())
        return try await members(req: req).encodeResponse(for: req)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try await teams(req).remove(req.parameters.get("teamID", as: UUID.self), member: req.parameters.get("userID", as: UUID.self),
                                    by: try req.requireUser().requireID())
        return .noContent
    }

    @Sendable func leave(req: Request) async throws -> HTTPStatus {
        try await teams(req).leave(req.parameters.get("teamID", as: UUID.self), user: try req.requireUser().requireID())
        return .noContent
    }

    @Sendable func buySeats(req: Request) async throws -> Response {
        let body = try req.content.decode(SeatPurchaseRequest.self)
        let (purchase, session, quote) = try await teams(req).buySeats(req.parameters.get("teamID", as: UUID.self), seats: body.seats,
                                                                       package: body.package, by: try req.requireUser())
        return try await SeatPurchaseDTO(orderID: try purchase.requireID(), checkoutID: session.id, checkoutURL: session.url, seats: quote.seats,
                                         package: body.package, seatPriceMinor: quote.seatPriceMinor, discountPercent: quote.discountPercent,
                                         amountMinor: quote.totalMinor, currency: quote.currency)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func invitations(req: Request) async throws -> [InvitationDTO] {
        let now = self.now
        return try await invitations(req).list(req.parameters.get("teamID", as: UUID.self), by: try req.requireUser().requireID())
            .map { InvitationDTO($0, now: now) }
    }

    @Sendable func invite(req: Request) async throws -> Response {
        let body = try req.content.decode(InviteRequest.self)
        let now = self.now
        let sent = try await invitations(req).invite(req.parameters.get("teamID", as: UUID.self), emails: body.emails, by: try req.requireUser().requireID())
        return try await sent.map { InvitationDTO($0, now: now) }.encodeResponse(status: .created, for: req)
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        try await invitations(req).revoke(req.parameters.get("teamID", as: UUID.self), invitation: req.parameters.get("invitationID", as: UUID.self),
                                          by: try req.requireUser().requireID())
        return .noContent
    }

    @Sendable func resend(req: Request) async throws -> InvitationDTO {
        InvitationDTO(try await invitations(req).resend(req.parameters.get("teamID", as: UUID.self), invitation: req.parameters.get("invitationID", as: UUID.self),
                                                        by: try req.requireUser().requireID()), now: now)
    }

    @Sendable func createLink(req: Request) async throws -> Response {
        let body = try req.content.decode(InvitationLinkRequest.self)
        let created = try await invitations(req).createLink(req.parameters.get("teamID", as: UUID.self), domain: body.allowedDomain, maxUses: body.maxUses,
                                                            expiresInDays: body.expiresInDays, by: try req.requireUser().requireID())
        return try await CreatedInvitationLinkDTO(invitation: InvitationDTO(created.invitation, now: now), url: created.url)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func setStyles(req: Request) async throws -> TeamDTO {
        let body = try req.content.decode(TeamStylesRequest.self)
        let userID = try req.requireUser().requireID(), teamID = req.parameters.get("teamID", as: UUID.self)
        _ = try await teams(req).setStyles(teamID, presets: body.presets, backdrop: body.backdropColour, by: userID)
        return try await dto(try await teams(req).access(teamID, user: userID), on: req.db)
    }

    /// The member's team order (their open draft, or a new one): upload to it like any order, then submit it.
    @Sendable func startOrder(req: Request) async throws -> Response {
        let order = try await orders(req).openDraft(req.parameters.get("teamID", as: UUID.self), user: try req.requireUser().requireID())
        return try await (try OrderDTO(order)).encodeResponse(status: .created, for: req)
    }

    @Sendable func setTeamHeadshot(req: Request) async throws -> TeamMemberDTO {
        let body = try req.content.decode(TeamHeadshotRequest.self)
        let userID = try req.requireUser().requireID(), teamID = req.parameters.get("teamID", as: UUID.self)
        _ = try await orders(req).setTeamHeadshot(teamID, headshot: body.headshotID, user: userID)
        let access = try await teams(req).access(teamID, user: userID)
        let dashboard = try await TeamDashboard.load(team: access.teamID, at: now, on: req.db)
        guard let row = dashboard.rows.first(where: { $0.userID == userID }) else { throw Failure.notFound("We couldn't find that team.") }
        return TeamMemberDTO(row)
    }

    /// Managers: the headshots members chose to share with the team.
    @Sendable func headshots(req: Request) async throws -> [TeamHeadshotDTO] {
        let access = try await teams(req).managed(req.parameters.get("teamID", as: UUID.self), by: try req.requireUser().requireID())
        return try await TeamGallery.items(of: access.teamID, on: req.db).map { item in
            TeamHeadshotDTO(userID: item.userID, name: item.name, email: item.email, headshotID: try item.asset.requireID(), filename: item.filename,
                            thumbnailURL: SiteURL.api(.team(.value(access.teamID), .memberHeadshot(.value(item.userID)))).path)
        }
    }

    @Sendable func remind(req: Request) async throws -> HTTPStatus {
        try await teams(req).remind(req.parameters.get("teamID", as: UUID.self), member: req.parameters.get("userID", as: UUID.self),
                                    by: try req.requireUser().requireID())
        return .accepted
    }

    /// Owner: refund a seat purchase's free seats (the ordinary refund policy decides at once or sends it to support).
    @Sendable func refundPurchase(req: Request) async throws -> Response {
        struct Body: Content { var reason: String? }
        let user = try req.requireUser()
        let purchase = try await teams(req).purchase(req.parameters.get("teamID", as: UUID.self), req.parameters.get("orderID", as: UUID.self),
                                                     by: try user.requireID())
        let reason = (try? req.content.decode(Body.self).reason)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let refund = try await Refunds(req, services: services).ask(for: purchase, by: user, reason: reason.isEmpty ? "free seats" : reason)
        return try await RefundDTO(refund).encodeResponse(status: .created, for: req)
    }

    @Sendable func tokens(req: Request) async throws -> [APITokenDTO] {
        try await teamTokens(req).list(req.parameters.get("teamID", as: UUID.self), by: try req.requireUser().requireID()).map(APITokenDTO.init)
    }

    /// A team token (its plaintext shown once), from a signed-in browser only.
    @Sendable func createToken(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateTokenRequest.self)
        let created = try await teamTokens(req).create(req.parameters.get("teamID", as: UUID.self), body, by: try req.requireUser().requireID(),
                                                       authenticatedBy: req.currentToken == nil && req.currentSession != nil ? .session : .token)
        return try await CreatedTokenDTO(token: created.plaintext, details: try APITokenDTO(created.token)).encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        try await teamTokens(req).revoke(req.parameters.get("teamID", as: UUID.self), token: req.parameters.get("tokenID", as: UUID.self),
                                         by: try req.requireUser().requireID())
        return .noContent
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let body = try req.content.decode(AcceptInvitationRequest.self)
        let access = try await invitations(req).accept(token: body.token, user: try req.requireUser())
        return try await dto(access, on: req.db).encodeResponse(status: .created, for: req)
    }

    /// Submits a team member's order on one of the team's seats (the JSON twin of the order's submit form).
    @Sendable func submit(req: Request) async throws -> OrderDTO {
        let order = try await OrderRequests(req, services: services).order()
        let choice = try req.content.decode(TeamOrders.Submission.self)
        return try OrderDTO(try await orders(req).submit(order, choice: choice, user: try req.requireUser()))
    }
}
