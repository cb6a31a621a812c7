import FluentKit
import Foundation

/// The refund policy, in one place: what `Refunds.ask` does with a customer's request, and the
/// sentences the landing page, the checkout, the order page, help and terms print.
/// A failed order, or one asked about within 7 days of paying whose headshots were never viewed or
/// downloaded at full size (`HeadshotDelivery`: any channel, any size above the thumbnail), is
/// refunded at once; anything else goes to support.
package enum RefundPolicy {
    package static let automaticDays = 7

    package enum Decision: Equatable, Sendable {
        case automatic
        /// Support decides; the reason says why it was not automatic.
        case support(String)
    }

    package static func decide(status: OrderStatus, paidAt: Date?, downloaded: Bool, now: Date) -> Decision {
        if status == .failed { return .automatic }
        if downloaded { return .support("headshots of this order have been viewed or downloaded at full size") }
        guard let paidAt else { return .support("we could not find when this order was paid") }
        if now.timeIntervalSince(paidAt) > TimeInterval(automaticDays) * 86_400 {
            return .support("it is more than \(automaticDays) days since the order was paid")
        }
        return .automatic
    }

    /// The decision for an order as it stands: when it was paid (its audited move to paid) and whether
    /// any of its headshots left the service at more than thumbnail size (downloads recorded before
    /// that record existed count too).
    package static func decide(_ order: Order, now: Date, on db: any Database) async throws -> Decision {
        let orderID = try order.requireID()
        let paidAt = try await AuditEvent.query(on: db).filter(\.$subjectType == Order.auditSubject).filter(\.$subjectID == orderID)
            .filter(\.$toState == OrderStatus.paid.rawValue).sort(\.$createdAt, .descending).first()?.createdAt
        var downloaded = try await HeadshotDelivery.first(of: orderID, on: db) != nil
        if !downloaded { downloaded = try await DownloadEvent.query(on: db).filter(\.$order.$id == orderID).count() > 0 }
        return decide(status: order.status, paidAt: paidAt, downloaded: downloaded, now: now)
    }

    /// One line for the landing page and the checkout.
    package static var summary: String {
        "Full refund at once if an order fails, or if you ask within \(automaticDays) days of paying and haven't viewed or downloaded any of its headshots at full size."
    }

    package static var sentences: [String] {
        let states = Refunds.refundable.sorted { $0.rawValue < $1.rawValue }.map { OrderStatus.label($0) }
        return [
            "If your order failed, or you ask within \(automaticDays) days of paying and none of its headshots has been viewed or downloaded at full size, the full amount is refunded at once, automatically.",
            "Otherwise (a headshot viewed or downloaded at full size, or more than \(automaticDays) days since payment) your request goes to our support team, who approve or decline it and tell you by email.",
            "Ask with \u{201C}Request a refund\u{201D} on the order's page, or with the API's refund request, while the order is \(list(states)).",
            "Once a refund is made, what it paid for stops at once: the order's downloads, share links and previews no longer work, and any work still under way is cancelled. The money goes back to the card you paid with, through the payment provider.",
            "A second payment for an order that was already paid is refunded automatically.",
            "Opening a headshot in the gallery's full-size view, its preview, a share link, a download or a ZIP (yours, your team's or your data export) counts as viewing it at full size; the gallery's small pictures do not.",
        ]
    }

    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}

extension OrderStatus {
    /// The state in a sentence ("being made").
    package static func label(_ status: OrderStatus) -> String {
        switch status {
        case .draft: "a draft"
        case .awaitingPayment: "awaiting payment"
        case .paid: "paid"
        case .queued: "in the queue"
        case .processing: "being made"
        case .completed: "delivered"
        case .failed: "failed"
        case .refunded: "refunded"
        case .deleted: "deleted"
        }
    }
}
