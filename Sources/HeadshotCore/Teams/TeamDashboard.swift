import FluentKit
import Foundation

/// What a team's managers see: seats, and every invited person and member by where they are.
/// Never a member's selfies: only their state and the one headshot they chose to share.
package struct TeamDashboard: Sendable {
    package enum State: String, Codable, Sendable, CaseIterable {
        case invited, joined, uploading
        case inQueue = "in_queue"
        case done
        case needsAttention = "needs_attention"

        package var label: String {
            switch self {
            case .invited: "Invited"
            case .joined: "Joined"
            case .uploading: "Uploading selfies"
            case .inQueue: "In the queue"
            case .done: "Done"
            case .needsAttention: "Needs attention"
            }
        }
    }

    package struct Row: Sendable {
        package let userID: UUID?
        package let email: String
        package let name: String?
        package let role: TeamRole?
        package let state: State
        /// Why a member needs attention, in words.
        package let note: String?
        package let invitationID: UUID?
        package let teamHeadshotID: UUID?
        package let joinedAt: Date?
        /// Seats the member may spend, and has spent (nil for someone invited who has not joined).
        package var seatQuota: Int? = nil
        package var seatsUsed: Int? = nil
    }

    /// A set still not ready this long after its first upload needs attention.
    package static let stuckAfter: TimeInterval = 3 * 86_400

    package let ledger: SeatPricing.Ledger
    package let rows: [Row]

    package static func load(team teamID: UUID, at now: Date, on db: any Database) async throws -> TeamDashboard {
        let ledger = try await TeamSeats.ledger(of: teamID, at: now, on: db)
        let members = try await TeamMember.query(on: db).filter(\.$team.$id == teamID).with(\.$user).sort(\.$joinedAt).all()
        let orders = try await Order.query(on: db).filter(\.$teamID == teamID).filter(\.$kind == .headshots)
            .filter(\.$status != .deleted).sort(\.$createdAt, .descending).all()
        let spent = try await TeamSeats.spent(in: teamID, on: db)
        var rows: [Row] = []
        for member in members {
            let userID = member.$user.id
            let theirs = orders.filter { $0.$user.id == userID }
            let (state, note) = try await state(of: theirs, at: now, on: db)
            rows.append(Row(userID: userID, email: member.user.email, name: member.user.displayName, role: member.role, state: state, note: note,
                            invitationID: nil, teamHeadshotID: member.teamHeadshotID, joinedAt: member.joinedAt,
                            seatQuota: member.seatQuota, seatsUsed: spent[userID] ?? 0))
        }
        let pending = try await TeamInvitation.query(on: db).filter(\.$team.$id == teamID).filter(\.$kind == .email)
            .filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil).sort(\.$createdAt).all()
        for invitation in pending {
            let expired = invitation.expiresAt <= now
            rows.append(Row(userID: nil, email: invitation.email ?? "", name: nil, role: nil, state: expired ? .needsAttention : .invited,
                            note: expired ? "The invitation expired on \(DateText.short(invitation.expiresAt)); send it again." : nil,
                            invitationID: invitation.id, teamHeadshotID: nil, joinedAt: nil))
        }
        return TeamDashboard(ledger: ledger, rows: rows)
    }

    /// A member's state from their team orders (newest first).
    private static func state(of orders: [Order], at now: Date, on db: any Database) async throws -> (State, String?) {
        if orders.contains(where: { $0.status == .completed }) { return (.done, nil) }
        if orders.contains(where: { OrderStatus.beingMade.contains($0.status) }) { return (.inQueue, nil) }
        if orders.contains(where: { $0.status == .failed }) {
            return (.needsAttention, "Their headshots could not be made; support has been told.")
        }
        guard let draft = orders.first(where: { $0.status == .draft }), let orderID = draft.id else { return (.joined, nil) }
        let first = try await UploadAsset.query(on: db).filter(\.$order.$id == orderID).sort(\.$createdAt).first()
        guard let first, let since = first.createdAt else { return (.joined, nil) }
        let set = try await PhotoSet.load(order: orderID, on: db)
        if !set.ready, now.timeIntervalSince(since) > stuckAfter {
            return (.needsAttention, "Their selfies have not passed the checks for \(Int(now.timeIntervalSince(since) / 86_400)) days: \(set.summary)")
        }
        return (.uploading, nil)
    }
}
