import Foundation

/// The refund policy, stated once: the terms and the help page print these sentences, and the
/// states they name are the ones `Refunds` accepts.
enum RefundPolicy {
    static var sentences: [String] {
        let states = Refunds.refundable.sorted { $0.rawValue < $1.rawValue }.map { OrderStatus.label($0) }
        return [
            "You can ask for a full refund of a paid order while it is \(list(states)), for any reason, until its headshots are deleted.",
            "Ask on the contact page (choose \u{201C}\(SupportRequests.Category.payment.label)\u{201D} and the order), or with the API's refund request. Our support team approves or declines each request and tells you by email.",
            "Once a refund is approved, what it paid for stops at once: the order's downloads, share links, previews and re-runs no longer work, and any work still under way is cancelled. The money goes back to the card you paid with, through the payment provider.",
            "A second payment for an order that was already paid is refunded automatically.",
        ]
    }

    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}

extension OrderStatus {
    /// The state in a sentence ("being made").
    static func label(_ status: OrderStatus) -> String {
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
