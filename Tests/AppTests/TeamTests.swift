import BlobStorage
import Fluent
import Foundation
import Imaging
import NIOConcurrencyHelpers
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Teams through the API as a company uses them: seats bought and paid in the sandbox, invitations
/// from the outbox, members uploading real photos and submitting on the team's seats.
@Suite struct TeamTests {
    // MARK: Helpers

    /// A JSON call with the client's bearer token; the body is any Encodable.
    static func call(_ client: PhotoClient, _ method: HTTPMethod, _ path: String, _ body: (any Encodable)? = nil) async throws -> TestingHTTPResponse {
        try await client.browser.request(method, "/api/v1" + path, json: body, headers: client.auth)
    }

    static func code(_ response: TestingHTTPResponse) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    /// A team owned by a new user.
    static func team(_ app: Application, name: String = "Acme") async throws -> (owner: PhotoClient, team: TeamDTO) {
        let (owner, _) = try await PhotoClient.make(app)
        let created = try await call(owner, .POST, "/teams", CreateTeamRequest(name: name))
        #expect(created.status == .created, "\(created.body.string)")
        return (owner, try created.content.decode(TeamDTO.self))
    }

    /// Buys seats through the API and pays them on the sandbox's hosted page with the test card;
    /// the webhook is delivered. Returns the purchase.
    @discardableResult
    static func buyAndPay(_ app: Application, _ owner: PhotoClient, team: UUID, seats: Int, package: String = "professional") async throws -> SeatPurchaseDTO {
        let response = try await call(owner, .POST, "/teams/\(team.uuidString.lowercased())/seat-purchases", SeatPurchaseRequest(seats: seats, package: package))
        #expect(response.status == .created, "\(response.body.string)")
        let purchase = try response.content.decode(SeatPurchaseDTO.self)
        let path = try #require(URL(string: purchase.checkoutURL)?.path)
        let paid = try await owner.browser.submit(path, ["card_number": "4242 4242 4242 4242"])
        #expect(paid.status == .seeOther)
        #expect(try await app.deliverSandboxWebhooks() == 1)
        return purchase
    }

    static func seats(_ app: Application, _ client: PhotoClient, team: UUID) async throws -> TeamDTO.Seats {
        try await call(client, .GET, "/teams/\(team.uuidString.lowercased())").content.decode(TeamDTO.self).seats
    }

    /// An open link's token (from its URL).
    static func link(_ owner: PhotoClient, team: UUID, _ request: InvitationLinkRequest) async throws -> String {
        let response = try await call(owner, .POST, "/teams/\(team.uuidString.lowercased())/invitation-links", request)
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(URL(string: try response.content.decode(CreatedInvitationLinkDTO.self).url)?.lastPathComponent)
    }

    /// The token of the last invitation mailed to `email`.
    static func invitationToken(_ app: Application, to email: String) async throws -> String {
        guard let message = try await Fixtures.mail(app, to: email).last else { throw TestFailure("no invitation to \(email)") }
        return try Browser.extract(#"/join/(hsi_[A-Za-z0-9_\-]+)"#, from: message.textBody)
    }

    static func accept(_ client: PhotoClient, _ token: String) async throws -> TestingHTTPResponse {
        try await call(client, .POST, "/invitation-acceptances", AcceptInvitationRequest(token: token))
    }

    /// The member's team order with a ready set. Person-a's 8 photos are uploaded through the API and
    /// checked once per test process; every other order gets rows with the same stored checks (the
    /// quality gate is not what these tests are about, and it is the slow part).
    static func teamOrder(_ app: Application, _ member: PhotoClient, team: UUID) async throws -> UUID {
        let response = try await call(member, .POST, "/teams/\(team.uuidString.lowercased())/orders")
        #expect(response.status == .created, "\(response.body.string)")
        let order = try response.content.decode(OrderDTO.self)
        #expect(order.teamID == team)
        let token = member.token
        let templates = try await CheckedPersonA.shared.rows {
            for photo in PhotoClient.personA {
                #expect(try await PhotoClient(browser: Browser(app), token: token).upload(fixture: photo, to: order.id.uuidString.lowercased()).status == .created)
            }
            return try await UploadAsset.query(on: app.db).filter(\.$order.$id == order.id).all().map(CheckedPersonA.Row.init)
        }
        if try await UploadAsset.query(on: app.db).filter(\.$order.$id == order.id).count() == 0 {
            for row in templates { try await row.asset(order: order.id).create(on: app.db) }
        }
        #expect(try await PhotoSet.load(order: order.id, on: app.db).ready)
        return order.id
    }

    static func submit(_ member: PhotoClient, order: UUID, presets: [String] = ["corporate-grey"]) async throws -> TestingHTTPResponse {
        try await call(member, .POST, "/orders/\(order.uuidString.lowercased())/team-submission",
                       TeamOrders.Submission(presets: presets, consent: true, acceptFewer: true))
    }

    // MARK: Seats

    @Test func aSeatPurchaseReplayedTenTimesCreatesItsSeatsExactlyOnce() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let professional = try #require(try await Package.query(on: app.db).filter(\.$code == "professional").first())
            let purchase = try await Self.buyAndPay(app, owner, team: team.id, seats: 5)
            // The price is SeatPricing's: 5 seats take the 10 % tier, on the package's price in the database.
            let quote = try SeatPricing.quote(seats: 5, priceMinor: professional.priceMinor, currency: professional.currency)
            #expect(purchase.discountPercent == 10 && purchase.seatPriceMinor == quote.seatPriceMinor && purchase.amountMinor == quote.totalMinor)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 5, reserved: 0, used: 0, free: 5))

            // The provider delivers the same event ten more times at once, and two other events for the same payment.
            let order = try #require(try await Order.find(purchase.orderID, on: app.db))
            let payload = try PaymentFixtures.event(id: "evt_replayed", order: order)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<10 { group.addTask { try await PaymentFixtures.deliver(app, payload).status } }
                for _ in 0..<2 { group.addTask { try await PaymentFixtures.deliver(app, try PaymentFixtures.event(order: order)).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(try await TeamSeat.query(on: app.db).filter(\.$team.$id == team.id).count() == 5)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 5, reserved: 0, used: 0, free: 5))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "team.seats_purchased").count() == 1)
            let receipts = try await Fixtures.mail(app, to: try #require(try await User.find(order.$user.id, on: app.db)).email)
            #expect(receipts.count == 1 && receipts[0].textBody.contains("5 Professional seats are ready"))
            #expect(try await Order.find(purchase.orderID, on: app.db)?.status == .completed)
            // A seat purchase is not a headshot order: it makes nothing and is not on the dashboard.
            #expect(try await GenerationJob.query(on: app.db).count() == 0)
            #expect(try await Self.call(owner, .GET, "/orders").content.decode([OrderDTO].self).isEmpty)

            // More seats later: 10 more at the 20 % tier.
            try await Self.buyAndPay(app, owner, team: team.id, seats: 10, package: "basic")
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 15, reserved: 0, used: 0, free: 15))
        }
    }

    @Test func sixMembersSubmittingAtOnceGetFiveJobsAndOneNoSeatsLeft() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            try await Self.buyAndPay(app, owner, team: team.id, seats: 5)
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: 10, expiresInDays: 7))
            var members: [(PhotoClient, UUID)] = []
            for _ in 0..<6 {
                let (member, _) = try await PhotoClient.make(app)
                #expect(try await Self.accept(member, token).status == .created)
                members.append((member, try await Self.teamOrder(app, member, team: team.id)))
            }
            let work = members.map { ($0.0.token, $0.1) }
            let responses = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for (token, order) in work {
                    group.addTask {
                        let response = try await Self.submit(PhotoClient(browser: Browser(app), token: token), order: order)
                        return (response.status, response.body.string)
                    }
                }
                return try await group.reduce(into: [(HTTPStatus, String)]()) { $0.append($1) }
            }
            #expect(responses.filter { $0.0 == .ok }.count == 5, "\(responses)")
            let refused = responses.filter { $0.0 != .ok }
            #expect(refused.count == 1 && refused.first?.0 == .conflict && refused.first?.1.contains("no_seats_left") == true)
            #expect(refused.first?.1.contains("No seats left") == true)
            let orders = members.map(\.1)
            #expect(try await GenerationJob.query(on: app.db).filter(\.$order.$id ~~ orders).count() == 5)
            #expect(try await Entitlement.query(on: app.db).filter(\.$order.$id ~~ orders).count() == 5)
            #expect(try await Order.query(on: app.db).filter(\.$id ~~ orders).filter(\.$status == .draft).count() == 1)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 5, reserved: 0, used: 5, free: 0))

            // A submission sent again spends nothing more; no member ever paid.
            let queued = try #require(try await Order.query(on: app.db).filter(\.$id ~~ orders).filter(\.$status == .queued).first())
            let again = try await Self.submit(try #require(members.first { $0.1 == queued.id }).0, order: try queued.requireID())
            #expect(again.status == .ok)
            #expect(try await GenerationJob.query(on: app.db).filter(\.$order.$id ~~ orders).count() == 5)
            #expect(try await SandboxCheckout.query(on: app.db).count() == 1)
            // And a team order cannot be sent to the payment page instead.
            let draft = try #require(try await Order.query(on: app.db).filter(\.$id ~~ orders).filter(\.$status == .draft).first())
            let member = try #require(members.first { $0.1 == draft.id }).0
            let checkout = try await Self.call(member, .POST, "/orders/\(try draft.requireID().uuidString.lowercased())/checkout",
                                               Checkout.Choice(package: "basic", presets: ["corporate-grey"], consent: true, acceptFewer: true))
            #expect(checkout.status == .conflict && Self.code(checkout) == "paid_by_team")
        }
    }

    // MARK: Invitations

    @Test func anExpiredRevokedOrReusedInvitationIsRefused() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, clock in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            try await Self.buyAndPay(app, owner, team: team.id, seats: 3)
            let sent = try await Self.call(owner, .POST, teamPath + "/invitations", InviteRequest(emails: ["ann@acme.test", "bob@acme.test", "cat@acme.test"]))
            #expect(sent.status == .created)
            let invitations = try sent.content.decode([InvitationDTO].self)
            #expect(invitations.count == 3 && invitations.allSatisfy { $0.status == .pending })
            // Each pending invitation keeps a seat: a fourth is refused, all or none.
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 3, used: 0, free: 0))
            let fourth = try await Self.call(owner, .POST, teamPath + "/invitations", InviteRequest(emails: ["dan@acme.test"]))
            #expect(fourth.status == .conflict && Self.code(fourth) == "no_seats_left")
            #expect(try await Fixtures.mail(app, to: "dan@acme.test").isEmpty)

            // Ann joins once; her link cannot be used again, by her or anyone else.
            let (ann, _) = try await PhotoClient.make(app, email: "ann@acme.test")
            let annToken = try await Self.invitationToken(app, to: "ann@acme.test")
            #expect(try await Self.accept(ann, annToken).status == .created)
            let (eve, _) = try await PhotoClient.make(app, email: "eve@acme.test")
            let reused = try await Self.accept(eve, annToken)
            #expect(reused.status == .gone && Self.code(reused) == "invitation_used")
            #expect(try await Self.call(eve, .GET, teamPath).status == .notFound)

            // Someone else cannot take Bob's invitation; withdrawn, it is refused to Bob too and frees its seat.
            let bobToken = try await Self.invitationToken(app, to: "bob@acme.test")
            let wrong = try await Self.accept(eve, bobToken)
            #expect(wrong.status == .forbidden && Self.code(wrong) == "invitation_wrong_email" && wrong.body.string.contains("b•••@acme.test"))
            let bobInvitation = try #require(invitations.first { $0.email == "bob@acme.test" })
            #expect(try await Self.call(owner, .DELETE, teamPath + "/invitations/\(bobInvitation.id.uuidString.lowercased())").status == .noContent)
            let (bob, _) = try await PhotoClient.make(app, email: "bob@acme.test")
            let revoked = try await Self.accept(bob, bobToken)
            #expect(revoked.status == .gone && Self.code(revoked) == "invitation_revoked")
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 2, used: 0, free: 1))

            // Cat's invitation expires after 7 days and its seat is free again; sent again, a new link works.
            clock.advance(by: 7 * 86_400 + 1)
            let (cat, _) = try await PhotoClient.make(app, email: "cat@acme.test")
            let oldCat = try await Self.invitationToken(app, to: "cat@acme.test")
            let expired = try await Self.accept(cat, oldCat)
            #expect(expired.status == .gone && Self.code(expired) == "invitation_expired")
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 1, used: 0, free: 2))
            let catInvitation = try #require(invitations.first { $0.email == "cat@acme.test" })
            let resent = try await Self.call(owner, .POST, teamPath + "/invitations/\(catInvitation.id.uuidString.lowercased())/resend")
            #expect(resent.status == .ok)
            #expect(try resent.content.decode(InvitationDTO.self).status == .pending)
            #expect(try await Self.accept(cat, oldCat).status == .notFound, "the old link stops working when the invitation is sent again")
            #expect(try await Self.accept(cat, try await Self.invitationToken(app, to: "cat@acme.test")).status == .created)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 2, used: 0, free: 1))

            // The join page says who pays and what the team sees, and refuses a used link in words.
            let page = try await Browser(app).request(.GET, "/join/" + annToken)
            #expect(page.status == .gone && page.body.string.contains("already been used"))
            let unknown = try await Browser(app).request(.GET, "/join/hsi_nothing")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func anOpenLinkHonoursItsDomainCapAndExpiry() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, clock in
            let (owner, team) = try await Self.team(app)
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: "@Acme.test", maxUses: 2, expiresInDays: 3))
            let page = try await Browser(app).request(.GET, "/join/" + token)
            #expect(page.status == .ok && page.body.string.contains("Acme pays for your professional headshots") && page.body.string.contains("never see your selfies"))

            let (outsider, _) = try await PhotoClient.make(app, email: "zed@other.test")
            let wrong = try await Self.accept(outsider, token)
            #expect(wrong.status == .forbidden && Self.code(wrong) == "invitation_wrong_domain")
            for name in ["ann", "bob"] {
                let (member, _) = try await PhotoClient.make(app, email: "\(name)@acme.test")
                #expect(try await Self.accept(member, token).status == .created)
            }
            let (third, _) = try await PhotoClient.make(app, email: "cat@acme.test")
            let full = try await Self.accept(third, token)
            #expect(full.status == .gone && Self.code(full) == "invitation_full")

            let other = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: 1))
            clock.advance(by: 86_400 + 1)
            let expired = try await Self.accept(third, other)
            #expect(expired.status == .gone && Self.code(expired) == "invitation_expired")

            let revocable = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            let listed = try await Self.call(owner, .GET, "/teams/\(team.id.uuidString.lowercased())/invitations").content.decode([InvitationDTO].self)
            let newest = try #require(listed.first { $0.status == .pending && $0.kind == .link && $0.allowedDomain == nil })
            #expect(try await Self.call(owner, .DELETE, "/teams/\(team.id.uuidString.lowercased())/invitations/\(newest.id.uuidString.lowercased())").status == .noContent)
            let revoked = try await Self.accept(third, revocable)
            #expect(revoked.status == .gone && Self.code(revoked) == "invitation_revoked")
            let dashboard = try await Self.call(owner, .GET, "/teams/\(team.id.uuidString.lowercased())/members").content.decode(TeamDashboardDTO.self)
            #expect(Set(dashboard.members.map(\.email)) == Set([try await owner.me(), "ann@acme.test", "bob@acme.test"]))
        }
    }

    // MARK: Styles and access

    /// Records what the queue hands the generator, and makes probe images.
    struct RecordingGenerator: Generator {
        let seen = NIOLockedValueBox<[GenerationWork]>([])
        var description: String { "recording probe" }
        func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
            seen.withLockedValue { $0.append(work) }
            try await ProbeGenerator(perHeadshot: .zero).generate(work, output: output)
        }
    }

    @Test func aMemberCannotPickAStyleOutsideTheTeams() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            try await Self.buyAndPay(app, owner, team: team.id, seats: 1)
            let badColour = try await Self.call(owner, .PUT, teamPath + "/styles", TeamStylesRequest(presets: ["executive-navy"], backdropColour: "navy"))
            #expect(badColour.status == .unprocessableEntity && badColour.body.string.contains("like #1f4e79 (you gave “navy”)"), "\(badColour.body.string)")
            let styled = try await Self.call(owner, .PUT, teamPath + "/styles", TeamStylesRequest(presets: ["executive-navy"], backdropColour: "#1F6E43"))
            #expect(styled.status == .ok)
            let styledTeam = try styled.content.decode(TeamDTO.self)
            #expect(styledTeam.allowedPresets == ["executive-navy"] && styledTeam.backdropColour == "#1f6e43")
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            let (member, _) = try await PhotoClient.make(app)
            #expect(try await Self.accept(member, token).status == .created)
            #expect(try await Self.call(member, .PUT, teamPath + "/styles", TeamStylesRequest(presets: ["corporate-grey"])).status == .forbidden)
            let order = try await Self.teamOrder(app, member, team: team.id)

            let outside = try await Self.submit(member, order: order, presets: ["executive-navy", "corporate-grey"])
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("Acme uses these styles: Executive Navy"))
            #expect(try await Self.seats(app, owner, team: team.id).used == 0)
            // The submit page offers only the team's styles.
            let form = try await member.browser.request(.GET, "/orders/\(order.uuidString.lowercased())/checkout")
            #expect(form.status == .ok && form.body.string.contains("preset-executive-navy") && !form.body.string.contains("preset-corporate-grey"))
            #expect(form.body.string.contains("Acme pays for these headshots"))
            #expect(form.body.string.contains("Acme's backdrop colour #1f6e43 is painted behind you in Executive Navy."))

            let inside = try await Self.submit(member, order: order, presets: ["executive-navy"])
            #expect(inside.status == .ok, "\(inside.body.string)")
            #expect(try inside.content.decode(OrderDTO.self).backdropColour == "#1f6e43")
            let stored = try #require(try await Order.find(order, on: app.db))
            #expect(stored.presets == "executive-navy" && stored.status == .queued && stored.amountMinor == 0 && stored.backdropColour == "#1f6e43")
            #expect(try await GenerationJob.query(on: app.db).filter(\.$order.$id == order).first()?.payload == "executive-navy")
            // The order keeps the colour it was submitted with; the worker hands it to the generator.
            #expect(try await Self.call(owner, .PUT, teamPath + "/styles", TeamStylesRequest(presets: ["executive-navy"])).status == .ok)
            let recorder = RecordingGenerator()
            #expect(try await QueueWorker(app: app, generator: recorder).runOnce())
            #expect(recorder.seen.withLockedValue { $0.map(\.backdrop) } == [BackdropColour(hex: "#1f6e43")])
            let page = try await member.browser.request(.GET, "/orders/\(order.uuidString.lowercased())")
            #expect(page.body.string.contains("Your team's backdrop colour #1f6e43 is painted behind you in Executive Navy."))
            // Nothing to refund: the team paid.
            let refund = try await Self.call(member, .POST, "/orders/\(order.uuidString.lowercased())/refund-requests", ["reason": "test"])
            #expect(refund.status == .conflict && Self.code(refund) == "paid_by_team")
        }
    }

    @Test func aManagerOfOneTeamGetsNotFoundForEverythingOfAnother() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (ownerA, teamA) = try await Self.team(app, name: "Alpha")
            let (ownerB, teamB) = try await Self.team(app, name: "Beta")
            try await Self.buyAndPay(app, ownerB, team: teamB.id, seats: 2)
            let sent = try await Self.call(ownerB, .POST, "/teams/\(teamB.id.uuidString.lowercased())/invitations", InviteRequest(emails: ["ann@beta.test"]))
            let invitation = try #require(try sent.content.decode([InvitationDTO].self).first)
            let (memberB, memberUser) = try await PhotoClient.make(app)
            #expect(try await Self.accept(memberB, try await Self.link(ownerB, team: teamB.id, .init(allowedDomain: nil, maxUses: nil, expiresInDays: nil))).status == .created)
            _ = teamA
            let b = "/teams/\(teamB.id.uuidString.lowercased())"
            let member = "/members/\(try memberUser.requireID().uuidString.lowercased())"
            let inv = "/invitations/\(invitation.id.uuidString.lowercased())"
            let calls: [(HTTPMethod, String, (any Encodable)?)] = [
                (.GET, b, nil), (.GET, b + "/members", nil), (.PUT, b + member, TeamRoleRequest(role: .manager)), (.DELETE, b + member, nil),
                (.DELETE, b + "/membership", nil), (.POST, b + "/seat-purchases", SeatPurchaseRequest(seats: 1, package: "basic")),
                (.GET, b + "/invitations", nil), (.POST, b + "/invitations", InviteRequest(emails: ["x@alpha.test"])),
                (.DELETE, b + inv, nil), (.POST, b + inv + "/resend", nil),
                (.POST, b + "/invitation-links", InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil)),
                (.PUT, b + "/styles", TeamStylesRequest(presets: ["bright-white"])), (.POST, b + "/orders", nil),
                (.PUT, b + "/team-headshot", TeamHeadshotRequest(headshotID: nil)), (.GET, b + "/tokens", nil),
                (.POST, b + "/tokens", CreateTokenRequest(name: "x", expiresInDays: nil)),
                (.POST, b + "/seat-purchases/\(UUID().uuidString.lowercased())/refund-requests", ["reason": "x"]),
            ]
            for (method, path, body) in calls {
                let response = try await Self.call(ownerA, method, path, body)
                #expect(response.status == .notFound, "\(method) \(path): \(response.status)")
            }
            #expect(try await ownerA.browser.request(.GET, b).status == .notFound)
            // Nothing of B changed.
            #expect(try await Self.seats(app, ownerB, team: teamB.id) == .init(purchased: 2, reserved: 1, used: 0, free: 1))
            #expect(try await TeamInvitation.find(invitation.id, on: app.db)?.revokedAt == nil)
            #expect(try await Self.call(ownerB, .GET, b + "/members").content.decode(TeamDashboardDTO.self).members.count == 3)
        }
    }

    @Test func aMembersSelfiesAreNeverShownToTheTeamsManagers() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            try await Self.buyAndPay(app, owner, team: team.id, seats: 1)
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            let (member, _) = try await PhotoClient.make(app)
            #expect(try await Self.accept(member, token).status == .created)
            let order = try await Self.teamOrder(app, member, team: team.id)
            let orderPath = "/orders/\(order.uuidString.lowercased())"
            let photo = try #require(try await UploadAsset.query(on: app.db).filter(\.$order.$id == order).first()?.requireID())
            for path in [orderPath, orderPath + "/photos", orderPath + "/photos/\(photo.uuidString.lowercased())/thumbnail", orderPath + "/plan"] {
                #expect(try await Self.call(owner, .GET, path).status == .notFound, "API \(path)")
                #expect(try await owner.browser.request(.GET, path).status == .notFound, "page \(path)")
            }
            let dashboard = try await Self.call(owner, .GET, teamPath + "/members")
            #expect(dashboard.status == .ok)
            let states = try dashboard.content.decode(TeamDashboardDTO.self).members.map(\.state)
            #expect(states.contains(.uploading))
            let page = try await owner.browser.request(.GET, teamPath)
            for text in [dashboard.body.string, page.body.string] {
                #expect(!text.contains(order.uuidString.lowercased()) && !text.contains(photo.uuidString.lowercased()) && !text.contains("thumbnail"))
            }
            #expect(page.body.string.contains("Uploading selfies"))
        }
    }

    @Test func leavingOrBeingRemovedFreesNothingUsedAndADeletedAccountTakesItsTeamDataWithIt() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            try await Self.buyAndPay(app, owner, team: team.id, seats: 3)
            #expect(try await Self.call(owner, .POST, teamPath + "/invitations", InviteRequest(emails: ["ann@acme.test", "bob@acme.test", "cat@acme.test"])).status == .created)
            var joined: [String: (PhotoClient, User)] = [:]
            for name in ["ann", "bob", "cat"] {
                let email = "\(name)@acme.test"
                let (client, user) = try await PhotoClient.make(app, email: email)
                #expect(try await Self.accept(client, try await Self.invitationToken(app, to: email)).status == .created)
                joined[name] = (client, user)
            }
            let (ann, annUser) = try #require(joined["ann"]), (bob, bobUser) = try #require(joined["bob"]), (cat, catUser) = try #require(joined["cat"])
            let annOrder = try await Self.teamOrder(app, ann, team: team.id)
            let bobOrder = try await Self.teamOrder(app, bob, team: team.id)
            #expect(try await Self.submit(bob, order: bobOrder).status == .ok)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 2, used: 1, free: 0))

            // Ann leaves: the seat kept for her is free again; her order stays hers.
            #expect(try await Self.call(ann, .DELETE, teamPath + "/membership").status == .noContent)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 1, used: 1, free: 1))
            #expect(try await Self.call(ann, .GET, "/orders/\(annOrder.uuidString.lowercased())").status == .ok)
            #expect(try await Self.call(ann, .GET, teamPath).status == .notFound)
            // Bob is removed after using his seat: it stays used; his headshots order stays his.
            #expect(try await Self.call(owner, .DELETE, teamPath + "/members/\(try bobUser.requireID().uuidString.lowercased())").status == .noContent)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 1, used: 1, free: 1))
            #expect(try await Self.call(bob, .GET, "/orders/\(bobOrder.uuidString.lowercased())").status == .ok)
            // The owner cannot be removed, nor leave.
            let ownerID = try #require(try await Team.find(team.id, on: app.db)?.$owner.id)
            #expect(try await Self.call(owner, .DELETE, teamPath + "/members/\(ownerID.uuidString.lowercased())").status == .conflict)
            #expect(try await Self.call(owner, .DELETE, teamPath + "/membership").status == .conflict)

            // Cat deletes her account: her membership, her invitation (with her address) and her id on the seat go.
            let catID = try catUser.requireID()
            let created = try await DeletionTests.create(cat, ["scope": "account", "password": Fixtures.password])
            #expect(created.status == "requested")
            #expect(try await DeletionTests.worker(app).runDue() == 1)
            #expect(try await TeamMember.query(on: app.db).filter(\.$user.$id == catID).count() == 0)
            #expect(try await TeamInvitation.query(on: app.db).filter(\.$email == "cat@acme.test").count() == 0)
            #expect(try await TeamSeat.query(on: app.db).filter(\.$userID == catID).count() == 0)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 0, used: 1, free: 2))
            let dashboard = try await Self.call(owner, .GET, teamPath + "/members").content.decode(TeamDashboardDTO.self)
            #expect(dashboard.members.map(\.email) == [try await owner.me()])
            _ = annUser
        }
    }

    @Test func theManagerDownloadsExactlyTheSharedTeamHeadshotsNamedAfterTheirMembers() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, clock in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            var members: [(PhotoClient, User, UUID?)] = []
            for (index, name) in ["Ann Lee", "Bob Stone", "Cat"].enumerated() {
                let (client, user) = try await PhotoClient.make(app)
                user.displayName = name
                try await user.save(on: app.db)
                #expect(try await Self.accept(client, token).status == .created)
                var order: UUID?
                if index < 2 {
                    // A delivered team order (made by the queue worker), as a seat would have paid for it.
                    let id = try await DeletionTests.completedOrder(app, user: user, clock: clock, selfies: 8, headshots: 3)
                    try await Order.query(on: app.db).filter(\.$id == id).set(\.$teamID, to: team.id).update()
                    order = id
                }
                members.append((client, user, order))
            }
            let (ann, annUser, annOrder) = members[0], (bob, _, bobOrder) = members[1], (cat, catUser, _) = members[2]
            let annAssets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == (try #require(annOrder))).sort(\.$sequence).all()
            let bobAssets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == (try #require(bobOrder))).sort(\.$sequence).all()
            // Each picks one of their own; someone else's headshot cannot be shared.
            let shared = try #require(annAssets.last)
            #expect(try await Self.call(ann, .PUT, teamPath + "/team-headshot", TeamHeadshotRequest(headshotID: shared.id)).status == .ok)
            #expect(try await Self.call(bob, .PUT, teamPath + "/team-headshot", TeamHeadshotRequest(headshotID: shared.id)).status == .notFound)
            #expect(try await Self.call(bob, .PUT, teamPath + "/team-headshot", TeamHeadshotRequest(headshotID: bobAssets.first?.id)).status == .ok)
            // Bob changes his mind: he shares none.
            #expect(try await Self.call(bob, .PUT, teamPath + "/team-headshot", TeamHeadshotRequest(headshotID: nil)).status == .ok)

            let listed = try await Self.call(owner, .GET, teamPath + "/headshots").content.decode([TeamHeadshotDTO].self)
            #expect(listed.map(\.filename) == ["Ann Lee.jpg"] && listed.first?.headshotID == shared.id)
            let zip = try await Self.call(owner, .GET, teamPath + "/team-headshots.zip")
            #expect(zip.status == .ok && zip.headers.first(name: .contentType) == "application/zip")
            let file = NSTemporaryDirectory() + "team-\(UUID().uuidString).zip"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try Data(zip.body.readableBytesView).write(to: URL(fileURLWithPath: file))
            #expect(try Shell.run("unzip", ["-tq", file]).status == 0)
            #expect(try Shell.run("unzip", ["-Z1", file]).output.split(separator: "\n").map(String.init) == ["Ann Lee.jpg"])
            let stored = try await app.blobStore.read(try BlobKey(path: shared.blobKey))
            #expect(Array(try Shell.run("unzip", ["-p", file, "Ann Lee.jpg"]).data) == stored, "the shared headshot, byte for byte")
            let thumbnail = try await Self.call(owner, .GET, teamPath + "/headshots/\(try annUser.requireID().uuidString.lowercased())")
            #expect(thumbnail.status == .ok && thumbnail.headers.contentType == .jpeg)
            #expect(try await Self.call(owner, .GET, teamPath + "/headshots/\(try catUser.requireID().uuidString.lowercased())").status == .notFound)
            let csv = try await Self.call(owner, .GET, teamPath + "/members.csv")
            #expect(csv.status == .ok && csv.body.string.contains("\"Ann Lee\",") && csv.body.string.contains("\"Ann Lee.jpg\""))
            #expect(csv.body.string.split(separator: "\r\n").count == 5, "a header, the owner and three members")
            let page = try await owner.browser.request(.GET, teamPath)
            #expect(page.body.string.contains("id=\"team-zip\"") && page.body.string.contains("Download the 1 team headshots"))
            // Members are not managers; other people are not in the team.
            #expect(try await Self.call(bob, .GET, teamPath + "/team-headshots.zip").status == .forbidden)
            let (stranger, _) = try await PhotoClient.make(app)
            #expect(try await Self.call(stranger, .GET, teamPath + "/team-headshots.zip").status == .notFound)

            // A reminder goes to someone who has not sent their selfies, not to someone done.
            let catID = try catUser.requireID().uuidString.lowercased()
            #expect(try await Self.call(owner, .POST, teamPath + "/members/\(catID)/reminders").status == .accepted)
            #expect(try await Fixtures.mail(app, to: catUser.email).last?.subject == "Reminder: your team's headshots on Headshot Studio")
            let done = try await Self.call(owner, .POST, teamPath + "/members/\(try members[1].1.requireID().uuidString.lowercased())/reminders")
            #expect(done.status == .conflict && Self.code(done) == "nothing_to_remind")
            _ = cat
        }
    }

    // MARK: Seat quota

    /// One member cannot spend every free seat: after their submission a new draft is refused with
    /// `seat_quota_reached` (through the API and the page); a manager grants a second seat, and then
    /// exactly one more can be spent, however many submissions race for it.
    @Test func aMemberSpendsOneSeatUnlessAManagerGrantsMore() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            try await Self.buyAndPay(app, owner, team: team.id, seats: 5, package: "basic")
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            let (member, memberUser) = try await PhotoClient.make(app)
            #expect(try await Self.accept(member, token).status == .created)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"

            let first = try await Self.teamOrder(app, member, team: team.id)
            #expect(try await Self.submit(member, order: first).status == .ok)
            let refused = try await Self.call(member, .POST, teamPath + "/orders")
            #expect(refused.status == .conflict && Self.code(refused) == "seat_quota_reached", "\(refused.body.string)")
            #expect(try await Self.seats(app, owner, team: team.id).used == 1, "the other four seats stay free")

            // A manager grants a second seat: on the page the member's row shows the share.
            let memberPath = teamPath + "/members/\(try memberUser.requireID().uuidString.lowercased())"
            let granted = try await owner.browser.submit(memberPath + "/seat-quota", ["seats": "2"])
            #expect(granted.status == .seeOther)
            #expect(try await owner.browser.request(.GET, teamPath).body.string.contains("Seats used 1 of"))
            #expect(try await Self.call(member, .PUT, memberPath + "/seat-quota", SeatQuotaRequest(seats: 9)).status == .forbidden, "members do not grant themselves seats")
            #expect(try await Self.call(owner, .PUT, memberPath + "/seat-quota", SeatQuotaRequest(seats: 51)).status == .unprocessableEntity)

            // Two drafts submitted at once spend one seat between them.
            let second = try await Self.teamOrder(app, member, team: team.id)
            let otherDraft = Order(userID: try memberUser.requireID())
            otherDraft.teamID = team.id
            try await otherDraft.create(on: app.db)
            for row in try await CheckedPersonA.shared.rows({ [] }) { try await row.asset(order: try otherDraft.requireID()).create(on: app.db) }
            let memberToken = member.token, drafts = [second, try otherDraft.requireID()]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for draft in drafts {
                    group.addTask { try await Self.submit(PhotoClient(browser: Browser(app), token: memberToken), order: draft).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.contains(.conflict), "\(statuses)")
            #expect(try await Self.seats(app, owner, team: team.id).used == 2)
            #expect(try await TeamSeat.query(on: app.db).filter(\.$userID == memberUser.requireID()).filter(\.$state == .used).count() == 2)
        }
    }

    // MARK: Invitation mail

    /// One seat cannot buy unlimited mail: invite → revoke → invite again spends the paying account's
    /// daily budget (5 plus 3 per seat), whichever team or address; the subject carries no name anyone chose.
    @Test func invitationMailIsBudgetedPerPayingAccountAndSeatAndItsSubjectCarriesNoChosenText() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app, name: "WIN A PRIZE at evil.example")
            try await Self.buyAndPay(app, owner, team: team.id, seats: 1, package: "basic")
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            let budget = RateLimiter.teamMailBase + RateLimiter.teamMailPerSeat * 1
            var sent = 0
            for round in 0..<(budget + 2) {
                let invited = try await Self.call(owner, .POST, teamPath + "/invitations", InviteRequest(emails: ["victim\(round)@example.com"]))
                if invited.status == .tooManyRequests {
                    #expect(Self.code(invited) == "rate_limited" && invited.headers.first(name: "Retry-After") != nil)
                    break
                }
                #expect(invited.status == .created, "\(invited.body.string)")
                sent += 1
                let invitation = try #require(try await TeamInvitation.query(on: app.db).filter(\.$email == "victim\(round)@example.com").first())
                #expect(try await Self.call(owner, .DELETE, teamPath + "/invitations/\(try invitation.requireID().uuidString.lowercased())").status == .noContent)
            }
            #expect(sent == budget, "a seat's worth of mail, not one per revocation")
            // A second team of the same account shares the budget.
            let other = try await Self.call(owner, .POST, "/teams", CreateTeamRequest(name: "Second"))
            let second = try other.content.decode(TeamDTO.self)
            #expect(try await Self.call(owner, .POST, "/teams/\(second.id.uuidString.lowercased())/invitations", InviteRequest(emails: ["x@example.com"])).status
                    == .tooManyRequests)
            let mail = try await Fixtures.mail(app, to: "victim0@example.com")
            #expect(mail.count == 1 && mail[0].subject == "You're invited to make your headshots on Headshot Studio")
            #expect(!mail[0].subject.contains("PRIZE") && mail[0].textBody.contains("WIN A PRIZE at evil.example"), "the team's name stays in the body")
        }
    }

    // MARK: Team tokens

    @Test func aTeamTokenDoesOnlyItsTeamsManagerActionsAndStopsWithItsManager() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let (_, other) = try await Self.team(app, name: "Other")
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            try await Self.buyAndPay(app, owner, team: team.id, seats: 2, package: "basic")
            // Only a signed-in browser mints one: never another token.
            let byToken = try await Self.call(owner, .POST, teamPath + "/tokens", CreateTokenRequest(name: "HR", expiresInDays: nil))
            #expect(byToken.status == .forbidden && Self.code(byToken) == "session_required")
            let page = try await owner.browser.submit(teamPath + "/tokens", ["name": "HR onboarding"])
            #expect(page.status == .created)
            let plaintext = try Browser.extract(#"<code class="token">(hs_[A-Za-z0-9_\-]+)</code>"#, from: page.body.string)
            let hr = PhotoClient(browser: Browser(app), token: plaintext)

            // The team's manager actions work.
            #expect(try await Self.call(hr, .GET, teamPath).status == .ok)
            #expect(try await Self.call(hr, .GET, teamPath + "/members").status == .ok)
            let invited = try await Self.call(hr, .POST, teamPath + "/invitations", InviteRequest(emails: ["new@acme.test"]))
            #expect(invited.status == .created, "\(invited.body.string)")
            #expect(try await Self.call(hr, .GET, teamPath + "/members.csv").status == .ok)
            // Nothing else: not the owner's powers, not the account, not another team.
            let refused: [(HTTPMethod, String, (any Encodable)?)] = [
                (.POST, teamPath + "/seat-purchases", SeatPurchaseRequest(seats: 1, package: "basic")),
                (.PUT, teamPath + "/styles", TeamStylesRequest(presets: ["bright-white"])),
                (.GET, teamPath + "/tokens", nil), (.POST, teamPath + "/orders", nil), (.DELETE, teamPath + "/membership", nil),
                (.GET, "/me", nil), (.GET, "/me/tokens", nil), (.GET, "/orders", nil), (.POST, "/orders", nil), (.GET, "/teams", nil),
                (.GET, "/teams/\(other.id.uuidString.lowercased())", nil), (.GET, "/teams/\(other.id.uuidString.lowercased())/members", nil),
            ]
            for (method, path, body) in refused {
                let response = try await Self.call(hr, method, path, body)
                #expect(response.status == .forbidden && Self.code(response) == "token_scope", "\(method) \(path): \(response.status)")
            }
            #expect(try await hr.browser.request(.GET, "/orders", headers: hr.auth).status != .ok)

            // Listed for the team's managers, and on its maker's account (as a team token, not a personal one), and revocable.
            let listed = try await Self.call(owner, .GET, teamPath + "/tokens")
            let tokens = try listed.content.decode([APITokenDTO].self)
            #expect(tokens.map(\.name) == ["HR onboarding"])
            let mine = try await Self.call(owner, .GET, "/me/tokens").content.decode([APITokenDTO].self)
            #expect(mine.filter { $0.kind == "team" }.map(\.name) == ["HR onboarding"] && mine.allSatisfy { $0.kind != "personal" })
            #expect(try await owner.browser.request(.GET, teamPath).body.string.contains("HR onboarding"))
            #expect(try await Self.call(owner, .DELETE, teamPath + "/tokens/\(tokens[0].id.uuidString.lowercased())").status == .noContent)
            #expect(try await Self.call(hr, .GET, teamPath).status == .unauthorized)

            // A manager's token stops when they stop managing.
            let token = try await Self.link(owner, team: team.id, InvitationLinkRequest(allowedDomain: nil, maxUses: nil, expiresInDays: nil))
            let (manager, managerUser) = try await PhotoClient.make(app)
            #expect(try await Self.accept(manager, token).status == .created)
            let managerPath = teamPath + "/members/\(try managerUser.requireID().uuidString.lowercased())"
            #expect(try await Self.call(owner, .PUT, managerPath, TeamRoleRequest(role: .manager)).status == .ok)
            let minted = try await manager.browser.submit(teamPath + "/tokens", ["name": "Manager script", "expires_in_days": "30"])
            #expect(minted.status == .created)
            let managerToken = PhotoClient(browser: Browser(app), token: try Browser.extract(#"<code class="token">(hs_[A-Za-z0-9_\-]+)</code>"#, from: minted.body.string))
            #expect(try await Self.call(managerToken, .GET, teamPath + "/members").status == .ok)
            #expect(try await Self.call(owner, .PUT, managerPath, TeamRoleRequest(role: .member)).status == .ok)
            #expect(try await Self.call(managerToken, .GET, teamPath + "/members").status == .unauthorized)
            let audit = try await AuditEvent.query(on: app.db).filter(\.$subjectID == team.id).all().map(\.action)
            #expect(audit.filter { $0 == "team.token_created" }.count == 2 && audit.contains("team.token_revoked"))
        }
    }

    // MARK: Refunds of a purchase

    @Test func aSeatPurchaseRefundTakesBackOnlyItsFreeSeats() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (owner, team) = try await Self.team(app)
            let teamPath = "/teams/\(team.id.uuidString.lowercased())"
            let purchase = try await Self.buyAndPay(app, owner, team: team.id, seats: 3, package: "basic")
            let purchasePath = teamPath + "/seat-purchases/\(purchase.orderID.uuidString.lowercased())/refund-requests"
            // One seat used by a member's submitted order, one kept by a pending invitation, one free.
            let (member, _) = try await PhotoClient.make(app)
            #expect(try await Self.accept(member, try await Self.link(owner, team: team.id, .init(allowedDomain: nil, maxUses: nil, expiresInDays: nil))).status == .created)
            let order = try await Self.teamOrder(app, member, team: team.id)
            #expect(try await Self.submit(member, order: order).status == .ok)
            let sent = try await Self.call(owner, .POST, teamPath + "/invitations", InviteRequest(emails: ["dee@acme.test"]))
            let invitation = try #require(try sent.content.decode([InvitationDTO].self).first)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 3, reserved: 1, used: 1, free: 1))

            // The refund takes back the one free seat, at the price it was bought for; the purchase stays paid.
            let first = try await Self.call(owner, .POST, purchasePath, ["reason": "one too many"])
            #expect(first.status == .created, "\(first.body.string)")
            let refund = try first.content.decode(RefundDTO.self)
            #expect(refund.status == "refunded" && refund.amountMinor == purchase.seatPriceMinor)
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 2, reserved: 1, used: 1, free: 0))
            #expect(try await Order.find(purchase.orderID, on: app.db)?.status == .completed)
            #expect(try await TeamSeat.query(on: app.db).filter(\.$purchaseID == purchase.orderID).filter(\.$state == .refunded).count() == 1)
            // Nothing free: refused, and nothing changes.
            let none = try await Self.call(owner, .POST, purchasePath, ["reason": "again"])
            #expect(none.status == .conflict && Self.code(none) == "no_free_seats")
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 2, reserved: 1, used: 1, free: 0))
            // A member cannot refund the purchase (owners only), nor through the orders API (not a headshot order).
            #expect(try await Self.call(member, .POST, purchasePath, ["reason": "mine?"]).status == .forbidden)
            #expect(try await Self.call(owner, .POST, "/orders/\(purchase.orderID.uuidString.lowercased())/refund-requests", ["reason": "x"]).status == .notFound)

            // Withdrawing the invitation frees its seat; the owner refunds it from the team page.
            #expect(try await Self.call(owner, .DELETE, teamPath + "/invitations/\(invitation.id.uuidString.lowercased())").status == .noContent)
            let page = try await owner.browser.request(.GET, teamPath)
            #expect(page.body.string.contains("Refund free seats"))
            let refunded = try await owner.browser.submit(teamPath + "/purchases/\(purchase.orderID.uuidString.lowercased())/refund", [:])
            #expect(refunded.status == .seeOther && (refunded.headers.first(name: .location) ?? "").contains("notice=seats_refunded"))
            #expect(try await Self.seats(app, owner, team: team.id) == .init(purchased: 1, reserved: 0, used: 1, free: 0))
            // The used seat stays bought: the purchase is not refunded as a whole, and its member's order goes on.
            #expect(try await Order.find(purchase.orderID, on: app.db)?.status == .completed)
            #expect(try await Order.find(order, on: app.db)?.status == .queued)
            let refunds = try await RefundRequest.query(on: app.db).filter(\.$order.$id == purchase.orderID).all()
            #expect(refunds.map(\.status) == [.refunded, .refunded] && refunds.map(\.amountMinor).reduce(0, +) == 2 * purchase.seatPriceMinor)
            let mails = try await Fixtures.mail(app, to: try #require(try await User.find(try await Order.find(purchase.orderID, on: app.db)?.$user.id, on: app.db)).email)
            #expect(mails.filter { $0.textBody.contains("for 1 unused seat of your team's purchase") }.count == 2)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "team.seats_refunded").count() == 2)
        }
    }
}

/// Person-a's 8 photos as the quality gate left them (uploaded and checked once per test process).
actor CheckedPersonA {
    static let shared = CheckedPersonA()

    /// An upload's stored outcome, without its order.
    struct Row: Sendable {
        let blobKey: String, filename: String, byteSize: Int, status: UploadStatus
        let width: Int?, height: Int?, score: Int?, findings: String?, verdict: String?, descriptor: String?, expiresAt: Date?

        init(_ upload: UploadAsset) {
            blobKey = upload.blobKey; filename = upload.originalFilename; byteSize = upload.byteSize; status = upload.status
            width = upload.width; height = upload.height; score = upload.qualityScore; findings = upload.findings
            verdict = upload.verdict; descriptor = upload.faceDescriptor; expiresAt = upload.expiresAt
        }

        func asset(order: UUID) -> UploadAsset {
            let copy = UploadAsset(orderID: order, blobKey: blobKey, originalFilename: filename, byteSize: byteSize)
            copy.status = status; copy.width = width; copy.height = height; copy.qualityScore = score
            copy.findings = findings; copy.verdict = verdict; copy.faceDescriptor = descriptor; copy.expiresAt = expiresAt
            return copy
        }
    }

    private var made: Task<[Row], any Error>?

    /// The rows, made by `upload` the first time (later callers wait for that one).
    func rows(_ upload: @escaping @Sendable () async throws -> [Row]) async throws -> [Row] {
        if let made { return try await made.value }
        let task = Task { try await upload() }
        made = task
        return try await task.value
    }
}

extension PhotoClient {
    /// The signed-in user's email.
    func me() async throws -> String {
        try await browser.request(.GET, "/api/v1/me", headers: auth).content.decode(UserDTO.self).email
    }
}
