import FluentKit
import SQLKit
import Foundation

/// The rows a deletion removes, per scope, run inside the transaction that completes the request.
/// Money records (entitlements, checkout sessions, refunds, payment events) of a deleted order are
/// kept for accounting: they hold amounts and references, no personal content. An account deletion
/// removes those too (with the orders), and anonymises the audit trail: events keep their action and
/// time, and lose their free text and request ids.
package struct DeletionRows {
    package let db: any Database
    package let now: Date

    /// Selfies only: photo rows stay as deleted tombstones (so the order's history reads right), with
    /// descriptor, biometric findings and the original file name erased.
    package func eraseSelfies(of orders: [UUID]) async throws {
        guard !orders.isEmpty else { return }
        for upload in try await UploadAsset.query(on: db).filter(\.$order.$id ~~ orders).all() {
            upload.originalFilename = ""
            if upload.status == .deleted {
                upload.eraseBiometrics()
                try await upload.save(on: db)
            } else {
                try await upload.markDeleted(by: .system(), detail: "deleted on request", at: now, on: db)
            }
        }
        try await Order.query(on: db).filter(\.$id ~~ orders).set(\.$photoSetCache, to: nil).update()
    }

    /// Whole orders: photos, headshots, share links, favourites, downloads, jobs and notifications
    /// about them go; the order stays as a deleted tombstone with its money records.
    package func deleteOrders(_ orders: [UUID], of userID: UUID) async throws {
        guard !orders.isEmpty else { return }
        try await deleteContent(of: orders)
        for id in orders {
            try await Notification.query(on: db).filter(\.$user.$id == userID).filter(\.$link ~~ id.uuidString.lowercased()).delete()
            try await SupportTicket.query(on: db).filter(\.$order.$id == id).set(\.$order.$id, to: nil).update()
            guard let order = try await Order.find(id, on: db) else { continue }
            order.photoSetCache = nil
            try await order.save(on: db)
            if order.status != .deleted {
                try await Audit.transition(order, to: .deleted, by: .system(), detail: "deleted on request", at: now, on: db)
            }
        }
    }

    /// The whole account: every row carrying the user's id goes, the user row last; audit events about
    /// the user and their orders are anonymised.
    package func deleteAccount(_ userID: UUID, orders listed: [UUID]) async throws {
        guard let user = try await User.find(userID, on: db) else { return }
        let orders = Array(Set(listed + (try await Order.query(on: db).filter(\.$user.$id == userID).all(\.$id))))
        if !orders.isEmpty {
            try await deleteContent(of: orders)
            try await CheckoutSessionRecord.query(on: db).filter(\.$orderID ~~ orders).delete()
            try await RefundRequest.query(on: db).filter(\.$order.$id ~~ orders).delete()
            try await Entitlement.query(on: db).filter(\.$order.$id ~~ orders).delete()
            try await SupportTicket.query(on: db).filter(\.$order.$id ~~ orders).set(\.$order.$id, to: nil).update()
        }
        try await ShareLink.query(on: db).filter(\.$user.$id == userID).delete()
        try await DownloadEvent.query(on: db).filter(\.$user.$id == userID).delete()
        try await Entitlement.query(on: db).filter(\.$user.$id == userID).delete()
        try await RefundRequest.query(on: db).filter(\.$requestedBy.$id == userID).delete()
        let tickets = try await SupportTicket.query(on: db).filter(\.$user.$id == userID).all(\.$id)
        if !tickets.isEmpty {
            try await SupportMessage.query(on: db).filter(\.$ticket.$id ~~ tickets).delete()
            try await SupportAttachment.query(on: db).filter(\.$ticket.$id ~~ tickets).delete()
        }
        try await SupportTicket.query(on: db).filter(\.$user.$id == userID).delete()
        try await Notification.query(on: db).filter(\.$user.$id == userID).delete()
        try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
        try await APIToken.query(on: db).filter(\.$user.$id == userID).delete()
        try await OneTimeToken.query(on: db).filter(\.$user.$id == userID).delete()
        try await DataExport.query(on: db).filter(\.$userID == userID).delete()
        try await deleteTeamData(of: user, orders: orders)
        if !orders.isEmpty { try await Order.query(on: db).filter(\.$id ~~ orders).delete() }
        try await LoginAttempt.query(on: db).filter(\.$email == user.email).delete()
        try await RateEvent.query(on: db).filter(\.$subject ~~ [userID.uuidString, RateLimiter.subject(email: user.email)]).delete()
        // Every message to the address, whatever its state: queued mail is never sent to a deleted
        // account, and a failed one does not keep its body. (The deletion's own receipt is queued after.)
        try await OutgoingMail.query(on: db).filter(\.$recipient == user.email).delete()
        let subjects = [userID] + orders
        try await AuditEvent.query(on: db).group(.or) { group in
            group.filter(\.$actorID == userID)
            group.filter(\.$subjectID ~~ subjects)
        }.set(\.$detail, to: nil).set(\.$requestID, to: nil).update()
        try await user.delete(on: db)
    }

    /// The person's place in teams: teams they own go with everything in them (their seats were
    /// bought by this account); their memberships and invitations to their address go; seats they
    /// used stay used, without their id.
    private func deleteTeamData(of user: User, orders: [UUID]) async throws {
        let userID = try user.requireID()
        let owned = try await Team.query(on: db).filter(\.$owner.$id == userID).all(\.$id)
        if !owned.isEmpty {
            try await TeamSeat.query(on: db).filter(\.$team.$id ~~ owned).delete()
            try await TeamInvitation.query(on: db).filter(\.$team.$id ~~ owned).delete()
            try await TeamMember.query(on: db).filter(\.$team.$id ~~ owned).delete()
            try await APIToken.query(on: db).filter(\.$teamID ~~ owned.map(Optional.some)).delete()
            try await Team.query(on: db).filter(\.$id ~~ owned).delete()
        }
        try await TeamMember.query(on: db).filter(\.$user.$id == userID).delete()
        let invited = try await TeamInvitation.query(on: db).filter(\.$email == user.email).all(\.$id)
        if !invited.isEmpty {
            try await TeamSeat.query(on: db).filter(\.$invitationID ~~ invited).filter(\.$state == .reserved)
                .set(\.$state, to: .free).set(\.$invitationID, to: nil).set(\.$userID, to: nil).update()
            try await TeamSeat.query(on: db).filter(\.$invitationID ~~ invited).set(\.$invitationID, to: nil).update()
            try await TeamInvitation.query(on: db).filter(\.$id ~~ invited).delete()
        }
        try await TeamInvitation.query(on: db).filter(\.$acceptedByID == userID).set(\.$acceptedByID, to: nil).update()
        try await TeamSeat.query(on: db).filter(\.$userID == userID).filter(\.$state == .reserved)
            .set(\.$state, to: .free).set(\.$invitationID, to: nil).set(\.$userID, to: nil).update()
        try await TeamSeat.query(on: db).filter(\.$userID == userID).set(\.$userID, to: nil).update()
        if !orders.isEmpty { try await TeamSeat.query(on: db).filter(\.$orderID ~~ orders).set(\.$orderID, to: nil).update() }
    }

    /// What every order deletion removes: its photos, headshots and what hangs off them.
    private func deleteContent(of orders: [UUID]) async throws {
        let assets = try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ orders).all(\.$id)
        if !assets.isEmpty {
            try await ShareLink.query(on: db).filter(\.$asset.$id ~~ assets).delete()
            try await SupportAttachment.query(on: db).filter(\.$asset.$id ~~ assets).delete()
        }
        try await DownloadEvent.query(on: db).filter(\.$order.$id ~~ orders).delete()
        try await db.sql().delete(from: HeadshotDelivery.schema).where("order_id", .in, orders).run()
        try await GeneratedAsset.query(on: db).filter(\.$order.$id ~~ orders).delete()
        // After the headshots: deleting them raised the orders' revisions once more.
        try await db.sql().delete(from: "gallery_revisions").where("order_id", .in, orders).run()
        try await UploadAsset.query(on: db).filter(\.$order.$id ~~ orders).delete()
        try await RemotePrediction.query(on: db).filter(\.$orderID ~~ orders).delete()
        try await GenerationJob.query(on: db).filter(\.$order.$id ~~ orders).delete()
    }
}
