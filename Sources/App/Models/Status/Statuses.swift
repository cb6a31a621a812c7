/// The lifecycle of every entity that has one, each in one place.

public enum OrderStatus: String, StatusMachine {
    case draft, awaitingPayment = "awaiting_payment", paid, queued, processing, completed, failed, refunded, deleted

    public static let transitions: [OrderStatus: Set<OrderStatus>] = [
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
    public static let beingMade: [OrderStatus] = [.paid, .queued, .processing]
}

public enum UploadStatus: String, StatusMachine {
    case received, accepted, rejected, deleted

    public static let transitions: [UploadStatus: Set<UploadStatus>] = [
        .received: [.accepted, .rejected, .deleted],
        // A set-level check (different person, duplicate) can reject a photo accepted on its own.
        .accepted: [.rejected, .deleted],
        .rejected: [.deleted],
        .deleted: [],
    ]
}

public enum JobStatus: String, StatusMachine {
    case queued, running, succeeded, failed, cancelled

    public static let transitions: [JobStatus: Set<JobStatus>] = [
        .queued: [.running, .cancelled],
        // Back to queued when a lease expires or an attempt is retried.
        .running: [.succeeded, .failed, .queued, .cancelled],
        .succeeded: [],
        .failed: [],
        .cancelled: [],
    ]
}

public enum GeneratedAssetStatus: String, StatusMachine {
    case ready, deleted

    public static let transitions: [GeneratedAssetStatus: Set<GeneratedAssetStatus>] = [
        .ready: [.deleted],
        .deleted: [],
    ]
}

public enum EntitlementStatus: String, StatusMachine {
    case active, consumed, revoked

    public static let transitions: [EntitlementStatus: Set<EntitlementStatus>] = [
        .active: [.consumed, .revoked],
        // A refund after delivery revokes a consumed entitlement too.
        .consumed: [.revoked],
        .revoked: [],
    ]
}

public enum DeletionStatus: String, StatusMachine {
    case requested, processing, completed, failed

    public static let transitions: [DeletionStatus: Set<DeletionStatus>] = [
        .requested: [.processing],
        // Back to requested when a legal hold (or work on the order) makes it wait.
        .processing: [.completed, .failed, .requested],
        // A failed deletion is retried until it completes.
        .failed: [.processing],
        .completed: [],
    ]
}

public enum DataExportStatus: String, StatusMachine {
    case requested, processing, ready, failed, expired
    /// Made before some of what it holds was deleted or refunded: a copy of data that is gone, so it
    /// is destroyed too (`DataExports.withdraw`).
    case withdrawn

    public static let transitions: [DataExportStatus: Set<DataExportStatus>] = [
        .requested: [.processing],
        .processing: [.ready, .failed],
        // A failed export is retried until it is made.
        .failed: [.processing],
        .ready: [.expired, .withdrawn],
        .expired: [],
        .withdrawn: [],
    ]
}

public enum RefundStatus: String, StatusMachine {
    case requested, approved, refunded, rejected

    public static let transitions: [RefundStatus: Set<RefundStatus>] = [
        .requested: [.approved, .rejected],
        .approved: [.refunded, .rejected],
        .refunded: [],
        .rejected: [],
    ]
}

public enum TicketStatus: String, StatusMachine {
    case open, pending, resolved, closed

    public static let transitions: [TicketStatus: Set<TicketStatus>] = [
        .open: [.pending, .resolved, .closed],
        .pending: [.open, .resolved, .closed],
        .resolved: [.open, .closed],
        .closed: [],
    ]
}

public enum NotificationStatus: String, StatusMachine {
    case unread, read

    public static let transitions: [NotificationStatus: Set<NotificationStatus>] = [
        .unread: [.read],
        .read: [],
    ]
}
