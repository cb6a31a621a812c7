import FluentKit
import Foundation
import Mail
import SiteRoutes

/// Tells people when an order is done or has failed: an in-app notification written in the same
/// transaction as the job's outcome (so it cannot be lost), and an email sent after commit.
package enum OrderNotifications {
    /// The notification for the order's owner, not yet saved (the finishing transaction writes it).
    /// `remade` is the number of headshots a re-run made again (nil for the order's first run);
    /// `creditReturned`, whether a failed re-run gave back a credit the customer spent on it.
    package static func make(order orderID: UUID, owner: UUID, headshots: Int, succeeded: Bool, reason: String?, remade: Int? = nil,
                     creditReturned: Bool = false) -> Notification {
        let link = SiteURL.order(.value(orderID), nil).path
        if let remade {
            return succeeded
                ? Notification(id: UUID(), userID: owner, kind: "order.rerun_completed", title: "Your re-made headshots are ready",
                               body: "\(remade) re-made headshot\(remade == 1 ? " is" : "s are") in your gallery, next to the ones they replace.",
                               link: SiteURL.order(.value(orderID), .gallery).path)
                : Notification(id: UUID(), userID: owner, kind: "order.rerun_failed", title: "We couldn't re-make your headshots",
                               body: (reason ?? "Something went wrong.")
                                   + (creditReturned ? " Your re-run credit has been given back and your headshots are unchanged." : " Your headshots are unchanged."),
                               link: link)
        }
        return succeeded
            ? Notification(id: UUID(), userID: owner, kind: "order.completed", title: "Your headshots are ready",
                           body: "Your \(headshots) headshots are ready to preview and download.", link: link)
            : Notification(id: UUID(), userID: owner, kind: "order.failed", title: "We couldn't finish your headshots",
                           body: (reason ?? "Something went wrong.") + " Support has been told and will be in touch; you can also request a refund.",
                           link: link)
    }

    /// Writes the notification for the order's owner inside the finishing transaction.
    package static func record(order orderID: UUID, succeeded: Bool, reason: String?, remade: Int? = nil, creditReturned: Bool = false,
                       on tx: any Database) async throws -> Notification? {
        guard let order = try await Order.find(orderID, on: tx) else { return nil }
        let notification = make(order: orderID, owner: order.$user.id, headshots: order.headshotCount ?? 0, succeeded: succeeded, reason: reason,
                                remade: remade, creditReturned: creditReturned)
        try await notification.create(on: tx)
        return notification
    }

    /// The email twin of a notification, with a full link; admins also hear about failures.
    package static func mail(for notification: Notification, baseURL: String, on db: any Database) async throws -> [MailMessage] {
        guard let user = try await User.find(notification.$user.id, on: db) else { return [] }
        let link = baseURL.trimmingSuffix("/") + (notification.link ?? SiteURL.dashboard.path)
        var messages = [MailMessage(to: user.email, subject: notification.title,
                                    text: "\(notification.body)\n\nOpen your order: \(link)\n\n— Headshot Studio")]
        if notification.kind == "order.failed" {
            for admin in try await User.query(on: db).filter(\.$role == .admin).all() {
                messages.append(MailMessage(to: admin.email, subject: "Order failed: \(notification.link ?? "")",
                                            text: "An order failed after all attempts.\n\nReason shown to the customer: \(notification.body)\n\n\(link)"))
            }
        }
        return messages
    }
}
