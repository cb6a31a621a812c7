import FluentKit
import Foundation

/// A team member's headshots: an ordinary order whose payment is one of the team's seats. The member
/// uploads their own selfies through the same checks, picks within the team's styles and submits; the
/// seat is spent in the transaction that queues the job, so it is spent once however often they submit.
package struct TeamOrders {
    package struct Submission: Codable, Sendable {
        package var presets: [String]
        package var consent: Bool
        /// Agreed to fewer headshots than the seat's package has, when the photos cannot give that many.
        package var acceptFewer: Bool?

        package init(presets: [String], consent: Bool, acceptFewer: Bool?) {
            self.presets = presets
            self.consent = consent
            self.acceptFewer = acceptFewer
        }
    }

    package let db: any Database
    package let context: DomainContext
    package let payments: any PaymentGateway
    package let uploads: UploadPorts
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, payments: any PaymentGateway, uploads: UploadPorts, actor: AuditActor) {
        self.db = db
        self.context = context
        self.payments = payments
        self.uploads = uploads
        self.actor = actor
    }
    package var now: Date { context.clock.now() }
    private var teams: Teams { Teams(db: db, context: context, payments: payments, actor: actor) }

    /// The member's open team draft, or a new one (their headshots paid by the team).
    package func openDraft(_ teamID: UUID?, user: UUID) async throws -> Order {
        let access = try await teams.access(teamID, user: user)
        if let draft = try await Order.query(on: db).filter(\.$user.$id == user).filter(\.$teamID == access.teamID)
            .filter(\.$status == .draft).filter(\.$kind == .headshots).sort(\.$createdAt, .descending).first() {
            return draft
        }
        // Said before any selfie is taken, not at submission.
        try await TeamSeats.requireQuota(for: user, team: access.teamID, on: db)
        let order = Order(userID: user)
        order.teamID = access.teamID
        let actor = self.actor, now = self.now
        try await db.transaction { tx in
            try await order.create(on: tx)
            try await Audit.record("order.created", subjectType: Order.auditSubject, subjectID: order.id, by: actor,
                                   detail: "paid by team \(access.teamID.uuidString.lowercased())", at: now, on: tx)
        }
        return order
    }

    /// What a member can still choose for a team order: the team, its styles and the seat's package.
    package struct Choices: Sendable {
        package let access: Teams.Access
        package let presets: [StylePreset]
        /// The package of the seat the order would spend (nil: no seat left).
        package let package: Package?
    }

    package func choices(for order: Order, user: UUID) async throws -> Choices {
        guard let teamID = order.teamID else { throw Failure(.conflict, "This order is not paid by a team.", code: "not_a_team_order") }
        let access: Teams.Access
        do { access = try await teams.access(teamID, user: user) }
        catch { throw Failure(.conflict, "You are no longer a member of the team that would pay for this order.", code: "not_a_member") }
        let seat = try await TeamSeats.candidate(for: user, team: teamID, at: now, on: db)
        var package: Package?
        if let seat { package = try await Package.find(seat.packageID, on: db) }
        return Choices(access: access, presets: Teams.allowedPresets(of: access.team), package: package)
    }

    /// Submits the member's order: checks the choice, then in one transaction under the team's lock
    /// spends a seat and moves the order through paid to queued with its entitlement and job.
    package func submit(_ order: Order, choice: Submission, user: User) async throws -> Order {
        let orderID = try order.requireID(), userID = try user.requireID()
        if order.status != .draft {
            // Submitted before (a retried request): the same answer, no second seat.
            if order.teamID != nil, try await TeamSeat.query(on: db).filter(\.$orderID == orderID).first() != nil { return order }
            throw Checkout.Problem.notEditable
        }
        let choices = try await choices(for: order, user: userID)
        guard let package = choices.package else {
            throw TeamSeats.Problem.noSeatsLeft(ledger: try await TeamSeats.ledger(of: choices.access.teamID, at: now, on: db))
        }
        let set = try await PhotoSet.load(order: orderID, on: db)
        guard set.ready else { throw Checkout.Problem.notReady(set.summary) }
        if set.rejected > 0 {
            try await OrderPhotos(db: db, context: context, uploads: uploads, owner: userID, actor: actor).removeUnusable(of: order)
        }
        var errors: [String: String] = [:]
        let presets = StylePreset.list(choice.presets)
        let outside = Set(choice.presets).subtracting(choices.presets.map(\.rawValue))
        if !outside.isEmpty, presets.count == Set(choice.presets).count, !presets.isEmpty {
            errors["presets"] = "\(choices.access.team.name) uses these styles: \(choices.presets.map(\.name).joined(separator: ", ")). Choose among them."
        } else if presets.isEmpty || presets.count != Set(choice.presets).count {
            errors["presets"] = "Choose at least one of the team's styles: \(choices.presets.map(\.name).joined(separator: ", "))."
        } else if presets.count > package.maxPresets {
            errors["presets"] = "\(package.name) includes up to \(package.maxPresets) styles; you chose \(presets.count)."
        }
        if !choice.consent { errors["consent"] = "Please tick the box to agree to how we handle your photos." }
        guard errors.isEmpty else { throw Checkout.Problem.invalid(errors) }

        let plan = try await HeadshotPlans.plan(orderID: orderID, presets: presets.map(\.rawValue), count: package.headshotCount, on: db)
        guard plan.deliverable > 0 else {
            throw Checkout.Problem.notReady("none of these photos can be framed as a headshot. Add photos that show your head and shoulders.")
        }
        if plan.isShort, choice.acceptFewer != true {
            let capacity = try await PlanCapacity.of(orderID: orderID, on: db)
            let add = capacity.photosToAdd(count: package.headshotCount, styles: presets.count)
            throw Checkout.Problem.short("Your photos give \(plan.deliverable) different headshots in \(presets.count) style\(presets.count == 1 ? "" : "s"), not \(package.headshotCount): "
                + "add \(add) more photo\(add == 1 ? "" : "s") (other outfits, settings or a looser framing), or continue with \(plan.deliverable) headshots.")
        }

        let teamID = choices.access.teamID, packageID = try package.requireID(), now = self.now, actor = self.actor
        return try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx in
            try await RowLock.lock(.orders, orderID, on: tx)
            guard let order = try await Order.find(orderID, on: tx) else { throw Checkout.Problem.notEditable }
            guard order.status == .draft else {
                if try await TeamSeat.query(on: tx).filter(\.$orderID == orderID).first() != nil { return order }
                throw Checkout.Problem.notEditable
            }
            guard try await TeamMember.query(on: tx).filter(\.$team.$id == teamID).filter(\.$user.$id == userID).first() != nil else {
                throw Failure(.conflict, "You are no longer a member of the team that would pay for this order.", code: "not_a_member")
            }
            let seat = try await TeamSeats.spend(for: userID, order: orderID, package: packageID, team: teamID, at: now, on: tx)
            order.$package.id = packageID
            order.amountMinor = 0
            order.currency = package.currency
            order.headshotCount = plan.deliverable
            order.rerunCredits = package.rerunCredits
            order.presets = presets.map(\.rawValue).joined(separator: ",")
            order.backdropColour = try await Team.find(teamID, on: tx)?.backdropColour
            order.consentVersion = ConsentPolicy.version
            order.consentedAt = now
            order.paymentGateway = "team_seat"
            order.paymentReference = "seat_" + (try seat.requireID()).uuidString.lowercased()
            try await order.save(on: tx)
            try await Audit.transition(order, to: .awaitingPayment, by: actor,
                                       detail: "\(package.code), \(plan.deliverable) headshots; consent \(ConsentPolicy.version)", at: now, on: tx)
            try await Audit.transition(order, to: .paid, by: actor, detail: "team seat \(seat.purchaseID.uuidString.lowercased())#\(seat.number)", at: now, on: tx)
            try await Audit.record("team.seat_used", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                   detail: "order \(orderID.uuidString.lowercased())", at: now, on: tx)
            try await Fulfilment.queue(order, package: package, paymentReference: order.paymentReference, by: actor, at: now, on: tx)
            return order
        }
    }

    /// Chooses (or clears, with nil) the one headshot a member shares with their team: one of their
    /// own ready headshots from an order the team paid for.
    package func setTeamHeadshot(_ teamID: UUID?, headshot: UUID?, user: UUID) async throws -> TeamMember {
        let access = try await teams.access(teamID, user: user)
        let member = access.member
        if let headshot {
            let teamOrders = try await Order.query(on: db).filter(\.$user.$id == user).filter(\.$teamID == access.teamID)
                .filter(\.$status == .completed).all(\.$id)
            guard !teamOrders.isEmpty,
                  try await GeneratedAsset.query(on: db).filter(\.$id == headshot).filter(\.$order.$id ~~ teamOrders)
                      .filter(\.$status == .ready).first() != nil
            else { throw Failure.notFound("Choose one of the headshots of your team order.") }
        }
        member.teamHeadshotID = headshot
        try await member.save(on: db)
        try await Audit.record("team.headshot_chosen", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                               detail: headshot == nil ? "cleared" : "chosen", at: now, on: db)
        return member
    }
}

extension TeamOrders {
    /// A member's own orders paid by the team, newest first (deleted ones left out), and the delivered
    /// headshots of those completed, in their order.
    package static func own(of user: UUID, in team: UUID, on db: any Database) async throws -> (orders: [Order], headshots: [GeneratedAsset]) {
        let orders = try await Order.query(on: db).filter(\.$user.$id == user).filter(\.$teamID == team)
            .filter(\.$kind == .headshots).filter(\.$status != .deleted).sort(\.$createdAt, .descending).all()
        let completed = orders.filter { $0.status == .completed }.compactMap(\.id)
        let headshots = completed.isEmpty ? [] : try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ completed)
            .filter(\.$status == .ready).sort(\.$sequence).all()
        return (orders, headshots)
    }
}
