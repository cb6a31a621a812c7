import Foundation

// The lifecycle of every entity that has one, each in one place.

package enum OrderStatus: String, StatusMachine {
    case draft, awaitingPayment = "awaiting_payment", paid, queued, processing, completed, failed, refunded, deleted

    package static let transitions: [OrderStatus: Set<OrderStatus>] = [
        .draft: [.awaitingPayment, .deleted],
        // Back to draft when checkout is abandoned and the user changes the selection.
        .awaitingPayment: [.paid, .draft, .deleted],
        // Completed at once: a team's seat purchase, whose seats exist when it is paid.
        .paid: [.queued, .completed, .refunded],
        .queued: [.processing, .failed, .refunded],
        // Back to queued when a generation attempt is retried; refunded when the customer is refunded
        // mid-run (the job is cancelled and its worker fenced out).
        .processing: [.completed, .failed, .queued, .refunded],
        // Support re-runs a delivered or failed order by queueing it again.
        .completed: [.queued, .refunded, .deleted],
        .failed: [.queued, .refunded, .deleted],
        .refunded: [.deleted],
        .deleted: [],
    ]

    /// Paid and not finished: the headshots are being made (or about to be).
    package static let beingMade: [OrderStatus] = [.paid, .queued, .processing]
    /// Paid for and not refunded: being made, made, or failed (a failed order is refunded by support).
    package var wasPaid: Bool { [.paid, .queued, .processing, .completed, .failed].contains(self) }
}

package enum UploadStatus: String, StatusMachine {
    case received, accepted, rejected, deleted

    package static let transitions: [UploadStatus: Set<UploadStatus>] = [
        .received: [.accepted, .rejected, .deleted],
        // A set-level check (different person, duplicate) can reject a photo accepted on its own.
        .accepted: [.rejected, .deleted],
        .rejected: [.deleted],
        .deleted: [],
    ]
}

package enum JobStatus: String, StatusMachine {
    case queued, running, succeeded, failed, cancelled

    package static let transitions: [JobStatus: Set<JobStatus>] = [
        .queued: [.running, .cancelled],
        // Back to queued when a lease expires or an attempt is retried.
        .running: [.succeeded, .failed, .queued, .cancelled],
        .succeeded: [],
        .failed: [],
        .cancelled: [],
    ]
}

package enum GeneratedAssetStatus: String, StatusMachine {
    case ready, deleted

    package static let transitions: [GeneratedAssetStatus: Set<GeneratedAssetStatus>] = [
        .ready: [.deleted],
        .deleted: [],
    ]
}

package enum EntitlementStatus: String, StatusMachine {
    case active, consumed, revoked

    package static let transitions: [EntitlementStatus: Set<EntitlementStatus>] = [
        .active: [.consumed, .revoked],
        // A refund after delivery revokes a consumed entitlement too.
        .consumed: [.revoked],
        .revoked: [],
    ]
}

package enum DeletionStatus: String, StatusMachine {
    case requested, processing, completed, failed

    package static let transitions: [DeletionStatus: Set<DeletionStatus>] = [
        .requested: [.processing],
        // Back to requested when a legal hold (or work on the order) makes it wait.
        .processing: [.completed, .failed, .requested],
        // A failed deletion is retried until it completes.
        .failed: [.processing],
        .completed: [],
    ]
}

package enum DataExportStatus: String, StatusMachine {
    case requested, processing, ready, failed, expired
    /// Made before some of what it holds was deleted or refunded: a copy of data that is gone, so it
    /// is destroyed too (`DataExports.withdraw`).
    case withdrawn

    package static let transitions: [DataExportStatus: Set<DataExportStatus>] = [
        .requested: [.processing],
        .processing: [.ready, .failed],
        // A failed export is retried until it is made.
        .failed: [.processing],
        .ready: [.expired, .withdrawn],
        .expired: [],
        .withdrawn: [],
    ]
}

package enum RefundStatus: String, StatusMachine {
    case requested, approved, refunded, rejected

    package static let transitions: [RefundStatus: Set<RefundStatus>] = [
        .requested: [.approved, .rejected],
        .approved: [.refunded, .rejected],
        .refunded: [],
        .rejected: [],
    ]
}

package enum TicketStatus: String, StatusMachine {
    case open, pending, resolved, closed

    package static let transitions: [TicketStatus: Set<TicketStatus>] = [
        .open: [.pending, .resolved, .closed],
        .pending: [.open, .resolved, .closed],
        .resolved: [.open, .closed],
        .closed: [],
    ]
}

package enum NotificationStatus: String, StatusMachine {
    case unread, read

    package static let transitions: [NotificationStatus: Set<NotificationStatus>] = [
        .unread: [.read],
        .read: [],
    ]
}

extension OrderStatus {
    /// The status as the customer reads it.
    package var label: String {
        switch self {
        case .draft: "Uploading photos"
        case .awaitingPayment: "Awaiting payment"
        case .paid: "Paid"
        case .queued: "In the queue"
        case .processing: "Being made"
        case .completed: "Ready"
        case .failed: "Failed"
        case .refunded: "Refunded"
        case .deleted: "Deleted"
        }
    }
}
