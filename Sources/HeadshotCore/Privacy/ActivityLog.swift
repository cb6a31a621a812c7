import FluentKit
import Foundation
import SQLKit

/// A user's own activity: the audit events they caused or that concern their account, orders,
/// photos, jobs, headshots, purchases and refunds, and their downloads, newest first. Each entry says
/// what happened, when and by whom, in words, and carries no personal content (no email addresses,
/// file names, payment references or audit details).
package struct ActivityLog {
    package static let pageSize = 50
    /// The pages one may ask for.
    package static let pages = 1...100_000

    package struct Entry: Equatable {
        package let at: Date
        /// The stable code (`user.logged_in`, `order.completed`, `download.zip`…).
        package let action: String
        package let description: String
        package let actor: String

        package init(at: Date, action: String, description: String, actor: String) {
            self.at = at
            self.action = action
            self.description = description
            self.actor = actor
        }
    }

    package struct Page {
        package let entries: [Entry]
        package let page: Int
        package let hasMore: Bool
    }

    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    package func page(for userID: UUID, page: Int) async throws -> Page {
        let sql = try db.sql()
        let page = max(1, page)
        let ownedBy: (String) -> SQLQueryString = { table in
            "SELECT t.id FROM \(unsafeRaw: table) t JOIN orders o ON t.order_id = o.id WHERE o.user_id = \(bind: userID)"
        }
        let rows = try await sql.raw("""
            SELECT created_at, action, actor_type, actor_id, subject_type, to_state FROM audit_events
            WHERE actor_id = \(bind: userID)
               OR (subject_type = 'user' AND subject_id = \(bind: userID))
               OR subject_id IN (SELECT id FROM orders WHERE user_id = \(bind: userID))
               OR subject_id IN (\(ownedBy("upload_assets")))
               OR subject_id IN (\(ownedBy("generation_jobs")))
               OR subject_id IN (\(ownedBy("generated_assets")))
               OR subject_id IN (\(ownedBy("refund_requests")))
               OR subject_id IN (SELECT id FROM entitlements WHERE user_id = \(bind: userID))
               OR subject_id IN (SELECT id FROM deletion_requests WHERE user_id = \(bind: userID))
            UNION ALL
            SELECT created_at, 'download.' || kind AS action, 'user' AS actor_type, user_id AS actor_id, 'download' AS subject_type,
                   variant AS to_state FROM download_events WHERE user_id = \(bind: userID)
            ORDER BY created_at DESC
            LIMIT \(bind: Self.pageSize + 1) OFFSET \(bind: (page - 1) * Self.pageSize)
            """).all()
        let entries = try rows.map { row in
            let action = try row.decode(column: "action", as: String.self)
            let subject = try row.decode(column: "subject_type", as: String.self)
            let state = try row.decode(column: "to_state", as: String?.self)
            let kind = AuditActor.Kind(rawValue: try row.decode(column: "actor_type", as: String.self)) ?? .system
            let actorID = try row.decode(column: "actor_id", as: UUID?.self)
            let code = action.hasSuffix(".status_changed") ? "\(subject).\(state ?? "changed")" : action
            return Entry(at: try row.decode(column: "created_at", as: Date.self), action: code,
                         description: Self.describe(code, variant: state), actor: Self.actor(kind, id: actorID, user: userID))
        }
        return Page(entries: Array(entries.prefix(Self.pageSize)), page: page, hasMore: entries.count > Self.pageSize)
    }

    package static func actor(_ kind: AuditActor.Kind, id: UUID?, user: UUID) -> String {
        switch kind {
        case .user: id == user ? "You" : "Headshot Studio support"
        case .system: "Headshot Studio"
        case .webhook: "Payment provider"
        case .anonymous: "Someone not signed in"
        }
    }

    /// Words for each code; unknown codes read as themselves, so nothing is hidden.
    package static func describe(_ code: String, variant: String?) -> String {
        switch code {
        case "user.signed_up": "Account created"
        case "user.email_verified": "Email address confirmed"
        case "user.logged_in": "Signed in"
        case "user.login_failed": "Failed sign-in attempt"
        case "user.password_changed": "Password changed"
        case "user.profile_changed": "Name or job title changed"
        case "user.password_reset_requested": "Password reset requested"
        case "user.password_reset": "Password reset"
        case "user.promoted_admin", "user.created_admin": "Made an administrator"
        case "api_token.created": "API token created"
        case "api_token.revoked": "API token revoked"
        case "session.revoked": "Signed out a browser"
        case "order.created": "Order started"
        case "order.draft": "Checkout restarted"
        case "order.awaiting_payment": "Checkout started"
        case "order.paid": "Payment received"
        case "order.queued": "Order queued"
        case "order.processing": "Headshots being made"
        case "order.completed": "Headshots delivered"
        case "order.failed": "Order failed"
        case "order.refunded": "Order refunded"
        case "order.deleted": "Order deleted"
        case "order.checkout_adopted": "Payment matched to an earlier checkout"
        case "order.hold_placed", "user.hold_placed": "Legal hold placed"
        case "order.hold_released", "user.hold_released": "Legal hold released"
        case "upload.accepted": "Photo uploaded"
        case "upload.rejected": "Photo refused by the quality check"
        case "upload.deleted": "Photo deleted"
        case "job.running": "Work started on your headshots"
        case "job.queued": "Work on your headshots retried"
        case "job.succeeded": "Work on your headshots finished"
        case "job.failed": "Work on your headshots failed"
        case "job.cancelled": "Work on your headshots cancelled"
        case "headshot.deleted": "Headshot deleted"
        case "entitlement.revoked": "Purchase revoked"
        case "entitlement.consumed": "Purchase used"
        case "refund.requested": "Refund requested"
        case "refund.sent_to_support": "Refund request sent to support"
        case "refund.approved": "Refund approved"
        case "refund.refunded": "Refund paid back"
        case "refund.rejected": "Refund declined"
        case "deletion.requested": "Deletion requested" + (variant.map { " (\($0))" } ?? "")
        case "deletion.processing": "Deletion started"
        case "deletion.completed": "Deletion completed"
        case "deletion.failed": "Deletion step failed; retried automatically"
        case "download.single": "Downloaded a headshot" + (variant.map { " (\($0))" } ?? "")
        case "download.zip": "Downloaded a ZIP of " + (variant == "favourites" ? "your favourites" : "all headshots")
        default: code.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: ": ")
        }
    }
}
