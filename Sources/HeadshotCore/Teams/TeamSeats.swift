import FluentKit
import Foundation
import Mail
import SiteRoutes

/// A team's seats: bought through the ordinary checkout as an order of kind `team_seats`, created
/// once from its verified payment, reserved by personal invitations and spent by members' orders.
/// Every change happens under the team's lock (`RowLock`), so what was counted stays true until it commits.
package enum TeamSeats {
    package enum Problem: DomainError {
        case noSeatsLeft(ledger: SeatPricing.Ledger)
        /// The member has spent every seat a manager allows them.
        case quotaReached(quota: Int)

        package var kind: FailureKind { .conflict }
        package var code: String {
            switch self {
            case .noSeatsLeft: "no_seats_left"
            case .quotaReached: "seat_quota_reached"
            }
        }
        package var reason: String {
            switch self {
            case .noSeatsLeft(let ledger):
                "No seats left: all \(ledger.purchased) of the team's seats are used or kept for invited people. The team's owner can buy more seats."
            case .quotaReached(let quota):
                "You have used \(quota == 1 ? "your team seat" : "all \(quota) of your team seats"). Ask a manager of the team if you need another."
            }
        }
    }

    /// Counts `count` team mails against the paying account's daily budget (`RateLimiter.teamMail`,
    /// sized by every seat it bought for any of its teams) and each recipient's hourly limit.
    package static func spendMailBudget(_ count: Int, team: Team, recipients: [String], at now: Date, on db: any Database) async throws {
        let owner = team.$owner.id
        let teams = try await Team.query(on: db).filter(\.$owner.$id == owner).all(\.$id)
        let seats = try await TeamSeat.query(on: db).filter(\.$team.$id ~~ teams).filter(\.$state != .refunded).count()
        let limiter = RateLimiter(db: db)
        try await limiter.hit(RateLimiter.teamMail(seats: seats), subject: owner.uuidString, count: count, at: now)
        for email in recipients { try await limiter.hit(RateLimiter.teamMailPerRecipient, subject: RateLimiter.subject(email: email), at: now) }
    }

    /// Seats each member has spent on their own orders, by user.
    package static func spent(in teamID: UUID, on db: any Database) async throws -> [UUID: Int] {
        let used = try await TeamSeat.query(on: db).filter(\.$team.$id == teamID).filter(\.$state == .used).all()
        return used.reduce(into: [:]) { counts, seat in if let user = seat.userID { counts[user, default: 0] += 1 } }
    }

    /// Throws `quotaReached` when the member has spent as many seats as they may.
    package static func requireQuota(for userID: UUID, team teamID: UUID, on db: any Database) async throws {
        guard let member = try await TeamMember.query(on: db).filter(\.$team.$id == teamID).filter(\.$user.$id == userID).first() else { return }
        let spent = try await TeamSeat.query(on: db).filter(\.$team.$id == teamID).filter(\.$state == .used).filter(\.$userID == userID).count()
        if spent >= member.seatQuota { throw Problem.quotaReached(quota: member.seatQuota) }
    }

    /// Creates the purchase's seats, completes it and writes the receipt (called by `Fulfilment` in
    /// the transaction that records the payment, which happens once per purchase).
    package static func fulfil(_ purchase: Order, package: Package, by actor: AuditActor, at now: Date, baseURL: URL,
                       on tx: any Database) async throws -> MailMessage {
        let purchaseID = try purchase.requireID()
        guard let teamID = purchase.teamID, let count = purchase.seatCount, count > 0 else {
            throw Fulfilment.Refusal.mismatch("the seat purchase names no team or seats")
        }
        try await RowLock.lock(.teams, teamID, on: tx)
        let packageID = try package.requireID()
        let seats = (1...count).map { TeamSeat(teamID: teamID, purchaseID: purchaseID, number: $0, packageID: packageID, at: now) }
        try await seats.create(on: tx)
        try await Audit.record("team.seats_purchased", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                               detail: "\(count) × \(package.code), order \(purchaseID.uuidString.lowercased())", at: now, on: tx)
        try await Audit.transition(purchase, to: .completed, by: actor, detail: "\(count) seats created", at: now, on: tx)
        let owner = try await User.find(purchase.$user.id, on: tx)
        let team = try await Team.find(teamID, on: tx)
        let amount = Money.format(minor: purchase.amountMinor ?? 0, currency: purchase.currency ?? package.currency)
        return MailMessage(to: owner?.email ?? "", subject: "Your receipt from Headshot Studio (\(amount))", text: """
            Thank you: your payment is confirmed and \(count) \(package.name) seat\(count == 1 ? " is" : "s are") ready for \(team?.name ?? "your team").

            Seats: \(count) × \(package.name) (\(package.headshotCount) headshots each)
            Amount paid: \(amount)
            Payment reference: \(purchase.paymentReference ?? "—")
            Order: \(purchaseID.uuidString.lowercased())

            Invite your colleagues: \(SiteURL.team(.value(teamID), nil).absolute(on: baseURL))
            """)
    }

    // MARK: Refunds of a purchase

    /// What one seat of a purchase cost (every seat of a purchase costs the same: `SeatPricing`).
    package static func seatPrice(of purchase: Order) -> Int? {
        guard let total = purchase.amountMinor, let seats = purchase.seatCount, seats > 0, total % seats == 0 else { return nil }
        return total / seats
    }

    /// The purchase's seats a refund may take back now: its free ones (seats of lapsed invitations
    /// freed first), never more than the team has free. Inside the team's lock.
    package static func refundable(of purchase: Order, at now: Date, on tx: any Database) async throws -> [TeamSeat] {
        guard let teamID = purchase.teamID else { return [] }
        try await releaseLapsed(of: teamID, at: now, on: tx)
        let free = try await TeamSeat.query(on: tx).filter(\.$purchaseID == purchase.requireID()).filter(\.$state == .free)
            .sort(\.$number, .descending).all()
        let ledger = try await ledger(of: teamID, at: now, on: tx)
        return Array(free.prefix(ledger.refundable(ofPurchase: free.count)))
    }

    /// Takes back up to `count` free seats of the purchase (under the team's lock, inside the refund's
    /// transaction); returns how many it took.
    package static func takeBack(_ count: Int, of purchase: Order, at now: Date, on tx: any Database) async throws -> Int {
        guard let teamID = purchase.teamID else { return 0 }
        try await RowLock.lock(.teams, teamID, on: tx)
        let seats = Array(try await refundable(of: purchase, at: now, on: tx).prefix(count))
        guard !seats.isEmpty else { return 0 }
        try await TeamSeat.query(on: tx).filter(\.$id ~~ seats.compactMap(\.id)).set(\.$state, to: .refunded).set(\.$changedAt, to: now).update()
        return seats.count
    }

    /// Whether every seat of the purchase has been refunded.
    package static func allRefunded(_ purchase: Order, on tx: any Database) async throws -> Bool {
        try await TeamSeat.query(on: tx).filter(\.$purchaseID == purchase.requireID()).filter(\.$state != .refunded).count() == 0
    }

    /// The team's seats now. Seats kept by invitations that expired or were revoked are free again
    /// (released for good by `releaseLapsed`, under the lock, before a seat is taken).
    package static func ledger(of teamID: UUID, at now: Date, on db: any Database) async throws -> SeatPricing.Ledger {
        let seats = try await TeamSeat.query(on: db).filter(\.$team.$id == teamID).filter(\.$state != .refunded).all()
        let lapsed = try await lapsedInvitations(of: teamID, at: now, on: db)
        let reserved = seats.filter { $0.state == .reserved && !($0.invitationID.map(lapsed.contains) ?? false) }.count
        return SeatPricing.Ledger(purchased: seats.count, reserved: reserved, used: seats.filter { $0.state == .used }.count)
    }

    /// Personal invitations of the team that no longer hold their seat: revoked, or expired unaccepted.
    private static func lapsedInvitations(of teamID: UUID, at now: Date, on db: any Database) async throws -> Set<UUID> {
        let invitations = try await TeamInvitation.query(on: db).filter(\.$team.$id == teamID).filter(\.$kind == .email)
            .filter(\.$acceptedAt == nil).all()
        return Set(invitations.filter { !$0.isOpen(at: now) }.compactMap(\.id))
    }

    /// Frees the seats of lapsed invitations (inside the team's lock).
    package static func releaseLapsed(of teamID: UUID, at now: Date, on tx: any Database) async throws {
        let lapsed = try await lapsedInvitations(of: teamID, at: now, on: tx)
        guard !lapsed.isEmpty else { return }
        try await TeamSeat.query(on: tx).filter(\.$team.$id == teamID).filter(\.$state == .reserved)
            .filter(\.$invitationID ~~ Array(lapsed)).filter(\.$userID == nil)
            .set(\.$state, to: .free).set(\.$invitationID, to: nil).set(\.$changedAt, to: now).update()
    }

    /// Keeps a free seat for a personal invitation (inside the team's lock), or throws `noSeatsLeft`.
    package static func reserve(for invitationID: UUID, team teamID: UUID, at now: Date, on tx: any Database) async throws {
        try await releaseLapsed(of: teamID, at: now, on: tx)
        guard let seat = try await TeamSeat.query(on: tx).filter(\.$team.$id == teamID).filter(\.$state == .free)
            .sort(\.$changedAt).sort(\.$number).first()
        else { throw Problem.noSeatsLeft(ledger: try await ledger(of: teamID, at: now, on: tx)) }
        seat.state = .reserved
        seat.invitationID = invitationID
        seat.changedAt = now
        try await seat.save(on: tx)
    }

    /// Frees the seat an invitation kept, unless its member has used it.
    package static func release(invitation invitationID: UUID, at now: Date, on tx: any Database) async throws {
        try await TeamSeat.query(on: tx).filter(\.$invitationID == invitationID).filter(\.$state == .reserved)
            .set(\.$state, to: .free).set(\.$invitationID, to: nil).set(\.$userID, to: nil).set(\.$changedAt, to: now).update()
    }

    /// Frees a seat kept for a member who leaves or is removed before using it.
    package static func release(member userID: UUID, team teamID: UUID, at now: Date, on tx: any Database) async throws {
        try await TeamSeat.query(on: tx).filter(\.$team.$id == teamID).filter(\.$userID == userID).filter(\.$state == .reserved)
            .set(\.$state, to: .free).set(\.$invitationID, to: nil).set(\.$userID, to: nil).set(\.$changedAt, to: now).update()
    }

    /// The seat a member would spend now: the one kept for them, else a free one (nil when none).
    package static func candidate(for userID: UUID, team teamID: UUID, at now: Date, on db: any Database) async throws -> TeamSeat? {
        if let kept = try await TeamSeat.query(on: db).filter(\.$team.$id == teamID).filter(\.$state == .reserved)
            .filter(\.$userID == userID).first() {
            return kept
        }
        return try await TeamSeat.query(on: db).filter(\.$team.$id == teamID).filter(\.$state == .free)
            .sort(\.$changedAt).sort(\.$number).first()
    }

    /// Spends the member's seat on their order (inside the team's lock): the seat kept for them,
    /// else a free one of `packageID`. Throws `quotaReached` when the member has spent their share,
    /// `noSeatsLeft` when the team has no seat.
    package static func spend(for userID: UUID, order orderID: UUID, package packageID: UUID, team teamID: UUID, at now: Date,
                      on tx: any Database) async throws -> TeamSeat {
        // One seat a member unless a manager granted more: counted under the lock, so two drafts
        // submitted at once cannot both pass.
        try await requireQuota(for: userID, team: teamID, on: tx)
        try await releaseLapsed(of: teamID, at: now, on: tx)
        var seat = try await TeamSeat.query(on: tx).filter(\.$team.$id == teamID).filter(\.$state == .reserved)
            .filter(\.$userID == userID).filter(\.$packageID == packageID).first()
        if seat == nil {
            seat = try await TeamSeat.query(on: tx).filter(\.$team.$id == teamID).filter(\.$state == .free)
                .filter(\.$packageID == packageID).sort(\.$changedAt).sort(\.$number).first()
        }
        guard let seat else { throw Problem.noSeatsLeft(ledger: try await ledger(of: teamID, at: now, on: tx)) }
        seat.state = .used
        seat.userID = userID
        seat.orderID = orderID
        seat.changedAt = now
        try await seat.save(on: tx)
        return seat
    }
}
