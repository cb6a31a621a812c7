import Crypto
import FluentKit
import SiteRoutes
import SQLKit
import Foundation
import Imaging
import Mail

/// Teams and their members, for the pages and the API alike: ids in, values out. Anyone who is not
/// a member of a team is told it does not exist; a member is told what only managers or the owner may do.
package struct Teams {
    /// A signed-in person's place in one team.
    package struct Access: Sendable {
        package let team: Team
        package let member: TeamMember
        package var teamID: UUID { team.id! }
        package var userID: UUID { member.$user.id }
        package var role: TeamRole { member.role }
    }

    package static let nameLength = 1...80

    package let db: any Database
    package let context: DomainContext
    package let payments: any PaymentGateway
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, payments: any PaymentGateway, actor: AuditActor) {
        self.db = db
        self.context = context
        self.payments = payments
        self.actor = actor
    }
    package var now: Date { context.clock.now() }

    // MARK: Teams

    /// A new team, with `owner` as its owner.
    package func create(name rawName: String, owner: UUID) async throws -> Access {
        let name = InputRules.trimmed(rawName)
        if let problem = InputRules.problem(rawName, Self.nameLength, tooShort: "Give the team a name of 1 to \(Self.nameLength.upperBound) characters.") {
            throw Failure(.invalid, problem)
        }
        let now = self.now, actor = self.actor
        return try await db.transaction { tx in
            let team = Team(name: name, ownerID: owner)
            try await team.create(on: tx)
            let member = TeamMember(teamID: try team.requireID(), userID: owner, role: .owner, at: now)
            try await member.create(on: tx)
            try await Audit.record("team.created", subjectType: Team.auditSubject, subjectID: team.id, by: actor, detail: name, at: now, on: tx)
            return Access(team: team, member: member)
        }
    }

    /// The teams `user` belongs to, by name.
    package func teams(of user: UUID) async throws -> [Access] {
        let memberships = try await TeamMember.query(on: db).filter(\.$user.$id == user).with(\.$team).all()
        return memberships.map { Access(team: $0.team, member: $0) }.sorted { $0.team.name < $1.team.name }
    }

    /// `user`'s place in the team (404 for a team they are not in, as for one that does not exist).
    package func access(_ teamID: UUID?, user: UUID) async throws -> Access {
        guard let teamID, let member = try await TeamMember.query(on: db).filter(\.$team.$id == teamID).filter(\.$user.$id == user)
            .with(\.$team).first()
        else { throw Failure.notFound("We couldn't find that team.") }
        return Access(team: member.team, member: member)
    }

    /// The team, for its managers (owner included).
    package func managed(_ teamID: UUID?, by user: UUID) async throws -> Access {
        let access = try await access(teamID, user: user)
        guard access.role.manages else { throw Failure(.forbidden, "Only the team's owner and managers can do this.", code: "not_a_manager") }
        return access
    }

    /// The team, for its owner.
    package func owned(_ teamID: UUID?, by user: UUID) async throws -> Access {
        let access = try await access(teamID, user: user)
        guard access.role == .owner else { throw Failure(.forbidden, "Only the team's owner can do this.", code: "not_the_owner") }
        return access
    }

    // MARK: Styles

    /// The presets a team's members may pick (all of them unless the owner narrowed it).
    package static func allowedPresets(of team: Team) -> [StylePreset] {
        let chosen = StylePreset.chosen(team.allowedPresets)
        return chosen.isEmpty ? StylePreset.allCases : chosen
    }

    /// Fixes the styles members may pick (owner only): one or more preset codes; all five clears the limit.
    package func setStyles(_ teamID: UUID?, presets codes: [String], backdrop: String? = nil, by user: UUID) async throws -> Team {
        let access = try await owned(teamID, by: user)
        let presets = StylePreset.list(codes)
        var errors: [String: String] = [:]
        if presets.isEmpty || presets.count != Set(codes).count {
            errors["presets"] = "Choose one or more of the five styles: \(StylePreset.allCases.map(\.rawValue).joined(separator: ", "))."
        }
        let colour = backdrop.flatMap(BackdropColour.init(hex:))
        if let backdrop, colour == nil {
            errors["backdrop_colour"] = "Give the backdrop colour as # and six hexadecimal digits, like #1f4e79 (you gave “\(backdrop.prefix(20))”)."
        }
        guard errors.isEmpty else { throw Checkout.Problem.invalid(errors) }
        let team = access.team
        team.allowedPresets = presets.count == StylePreset.allCases.count ? nil : presets.map(\.rawValue).joined(separator: ",")
        team.backdropColour = colour?.hex
        try await team.save(on: db)
        try await Audit.record("team.styles_changed", subjectType: Team.auditSubject, subjectID: team.id, by: actor,
                               detail: presets.map(\.rawValue).joined(separator: ",") + "; backdrop " + (colour?.hex ?? "the presets' own"), at: now, on: db)
        return team
    }

    // MARK: Members

    /// Makes a member a manager or a manager a member again (owner only; the owner stays the owner).
    package func setRole(_ teamID: UUID?, member memberUser: UUID?, role: TeamRole, by user: UUID) async throws -> TeamMember {
        let access = try await owned(teamID, by: user)
        guard role != .owner else { throw Failure(.invalid, "A team has one owner; choose manager or member.") }
        let member = try await member(memberUser, of: access.teamID)
        guard member.role != .owner else { throw Failure(.conflict, "The owner's role cannot be changed.", code: "owner_role") }
        member.role = role
        let now = self.now
        try await db.transaction { tx in
            try await member.save(on: tx)
            // A member no longer manages: their team tokens stop at once.
            if role == .member, let userID = memberUser { try await TeamTokens.revokeAll(of: userID, team: access.teamID, at: now, on: tx) }
        }
        try await Audit.record("team.role_changed", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                               detail: "\(memberUser?.uuidString.lowercased() ?? "") → \(role.rawValue)", at: now, on: db)
        return member
    }

    package static let seatQuotaRange = 0...50

    /// How many of the team's seats a member may spend on their own orders (managers; 1 by default).
    package func setSeatQuota(_ teamID: UUID?, member memberUser: UUID?, seats: Int, by user: UUID) async throws -> TeamMember {
        let access = try await managed(teamID, by: user)
        guard Self.seatQuotaRange.contains(seats) else {
            throw Failure(.invalid, "Give a number of seats from \(Self.seatQuotaRange.lowerBound) to \(Self.seatQuotaRange.upperBound).")
        }
        let member = try await member(memberUser, of: access.teamID)
        member.seatQuota = seats
        let now = self.now, actor = self.actor
        try await db.transaction { tx in
            try await member.save(on: tx)
            try await Audit.record("team.seat_quota_changed", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                                   detail: "\(memberUser?.uuidString.lowercased() ?? "") → \(seats)", at: now, on: tx)
        }
        return member
    }

    /// Removes a member (managers): a seat they already used stays used, one kept for them is freed.
    /// Their own orders and headshots stay theirs.
    package func remove(_ teamID: UUID?, member memberUser: UUID?, by user: UUID) async throws {
        let access = try await managed(teamID, by: user)
        let member = try await member(memberUser, of: access.teamID)
        guard member.role != .owner else { throw Failure(.conflict, "The team's owner cannot be removed.", code: "owner_role") }
        if member.role == .manager, access.role != .owner {
            throw Failure(.forbidden, "Only the team's owner can remove a manager.", code: "not_the_owner")
        }
        try await drop(member, teamID: access.teamID, action: "team.member_removed")
    }

    /// Leaves a team (any member but its owner), keeping one's own headshots.
    package func leave(_ teamID: UUID?, user: UUID) async throws {
        let access = try await access(teamID, user: user)
        guard access.role != .owner else {
            throw Failure(.conflict, "The owner cannot leave the team they pay for.", code: "owner_role")
        }
        try await drop(access.member, teamID: access.teamID, action: "team.member_left")
    }

    private func drop(_ member: TeamMember, teamID: UUID, action: String) async throws {
        let now = self.now, actor = self.actor, userID = member.$user.id
        try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx in
            try await TeamSeats.release(member: userID, team: teamID, at: now, on: tx)
            try await TeamMember.query(on: tx).filter(\.$team.$id == teamID).filter(\.$user.$id == userID).delete()
            try await TeamTokens.revokeAll(of: userID, team: teamID, at: now, on: tx)
            try await Audit.record(action, subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                   detail: userID.uuidString.lowercased(), at: now, on: tx)
        }
    }

    /// Emails a member who has not submitted yet a reminder with the way back to the team (managers;
    /// rate limited per team and per mailbox).
    package func remind(_ teamID: UUID?, member memberUser: UUID?, by user: UUID) async throws {
        let access = try await managed(teamID, by: user)
        let member = try await member(memberUser, of: access.teamID)
        let dashboard = try await TeamDashboard.load(team: access.teamID, at: now, on: db)
        guard let row = dashboard.rows.first(where: { $0.userID == member.$user.id }) else { throw Failure.notFound("That person is not a member of this team.") }
        guard [.joined, .uploading, .needsAttention].contains(row.state) else {
            throw Failure(.conflict, "\(row.email) has already sent their selfies: there is nothing to remind them of.", code: "nothing_to_remind")
        }
        try await TeamSeats.spendMailBudget(1, team: access.team, recipients: [row.email], at: now, on: db)
        let link = SiteURL.team(.value(access.teamID), nil).absolute(on: context.baseURL)
        try await context.mail.enqueue(MailMessage(to: row.email, subject: "Reminder: your team's headshots on Headshot Studio", text: """
            \(access.team.name) has a seat waiting for you: upload 8–20 selfies, pick one of the team's styles and we make your professional headshots. The team pays; you never do.

            \(row.note.map { "Where you are: \($0)\n\n" } ?? "")Continue: \(link)
            """), on: db)
        try await Audit.record("team.member_reminded", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                               detail: member.$user.id.uuidString.lowercased(), at: now, on: db)
    }

    private func member(_ userID: UUID?, of teamID: UUID) async throws -> TeamMember {
        guard let userID, let member = try await TeamMember.query(on: db).filter(\.$team.$id == teamID).filter(\.$user.$id == userID).first()
        else { throw Failure.notFound("That person is not a member of this team.") }
        return member
    }

    // MARK: Seats

    /// What `seats` seats of a package cost, from the package's price today.
    package func quote(seats: Int, package code: String) async throws -> (SeatPricing.Quote, Package) {
        guard let package = try await Package.query(on: db).filter(\.$code == code).filter(\.$active == true).first() else {
            throw Failure(.invalid, "Choose one of the packages.")
        }
        do {
            return (try SeatPricing.quote(seats: seats, priceMinor: package.priceMinor, currency: package.currency), package)
        } catch {
            throw Failure(.invalid, "Buy between 1 and \(SeatPricing.maximumSeats) seats at a time.")
        }
    }

    /// Opens the checkout for `seats` seats of a package (owner only). The purchase is an order of kind
    /// `team_seats`; its seats are created from its verified payment.
    package func buySeats(_ teamID: UUID?, seats: Int, package code: String, by user: User) async throws -> (Order, CheckoutSession, SeatPricing.Quote) {
        let access = try await owned(teamID, by: try user.requireID())
        let (quote, package) = try await quote(seats: seats, package: code)
        let now = self.now, actor = self.actor, gateway = payments.name, teamID = access.teamID
        let purchase = Order(userID: try user.requireID())
        purchase.kind = .teamSeats
        purchase.teamID = teamID
        purchase.seatCount = seats
        purchase.$package.id = try package.requireID()
        purchase.amountMinor = quote.totalMinor
        purchase.currency = quote.currency
        purchase.paymentGateway = gateway
        try await db.transaction { tx in
            try await purchase.create(on: tx)
            try await Audit.transition(purchase, to: .awaitingPayment, by: actor,
                                       detail: "\(seats) × \(package.code) seats at \(quote.seatPriceMinor) \(quote.currency) (−\(quote.discountPercent) %)", at: now, on: tx)
        }
        let purchaseID = try purchase.requireID()
        let key = SHA256.hash(data: Data("seats|\(purchaseID.uuidString.lowercased())|\(quote.totalMinor)".utf8)).map { String(format: "%02x", $0) }.joined()
        let discount = quote.discountPercent > 0 ? ", \(quote.discountPercent) % volume discount" : ""
        let session = try await payments.createCheckout(CheckoutRequest(
            orderID: purchaseID, amountMinor: quote.totalMinor, currency: quote.currency,
            description: "Headshot Studio team seats for \(access.team.name): \(seats) × \(package.name) at \(Money.format(minor: quote.seatPriceMinor, currency: quote.currency))\(discount)",
            customerEmail: user.email,
            successURL: SiteURL.team(.value(teamID), nil).absolute(on: context.baseURL, ["purchase": purchaseID.uuidString.lowercased()]),
            cancelURL: SiteURL.team(.value(teamID), nil).absolute(on: context.baseURL), idempotencyKey: key))
        try await RowLock.run(.orders, purchaseID, on: db, mutex: context.sqliteWriteLock) { tx in
            try await CheckoutSessionRecord(order: purchase, gateway: gateway, reference: session.id, at: now).create(on: tx)
            purchase.checkoutReference = session.id
            try await purchase.save(on: tx)
        }
        return (purchase, session, quote)
    }

    /// One of the team's seat purchases (owner only; another team's answers 404).
    package func purchase(_ teamID: UUID?, _ purchaseID: UUID?, by user: UUID) async throws -> Order {
        let access = try await owned(teamID, by: user)
        guard let purchaseID, let purchase = try await Order.query(on: db).filter(\.$id == purchaseID).filter(\.$teamID == access.teamID)
            .filter(\.$kind == .teamSeats).first()
        else { throw Failure.notFound("There is no such purchase.") }
        return purchase
    }

    /// The team's seat purchases, newest first.
    package func purchases(of teamID: UUID) async throws -> [Order] {
        try await Order.withPackage("""
            WHERE "orders"."kind" = \(bind: Order.Kind.teamSeats.rawValue) AND "orders"."team_id" = \(bind: teamID)
            AND "orders"."status" <> \(bind: OrderStatus.deleted.rawValue) ORDER BY "orders"."created_at" DESC
            """, on: db)
    }
}
