import BlobStorage
import FluentKit
import Foundation
import Mail
import SiteRoutes

/// Refund requests: requested → approved → refunded | rejected. A refund converges from wherever it
/// stopped:
/// 1. under the order's lock, it is approved and what the payment bought is taken away at once: the
///    entitlement is revoked and the order's job cancelled whatever state it reached (a running
///    worker is fenced out: its lease no longer matches a running job);
/// 2. the gateway pays the money back, with an idempotency key per refund, so repeating this step
///    never refunds twice;
/// 3. the refund is marked refunded and the order refunded.
/// A failure after step 1 leaves the refund approved; `finishApproved` (maintenance) and approving
/// again both resume it. At most one open refund per order (a unique index), so requests racing
/// each other open one. A stray-payment refund (a second payment the order did not need) returns
/// only that payment and leaves the order alone. A team's seat purchase is refunded for its free
/// seats only (at the price each was bought for): those seats are taken back in step 1, and the
/// purchase is refunded as a whole once none of its seats is left.
package struct Refunds {
    package enum Problem: DomainError {
        case notRefundable(OrderStatus)
        case alreadyOpen
        case noPayment
        /// A seat purchase whose seats are all used or kept for invited people.
        case noFreeSeats

        package var kind: FailureKind { .conflict }
        package var code: String {
            switch self {
            case .notRefundable: "not_refundable"
            case .alreadyOpen: "refund_already_requested"
            case .noPayment: "no_payment"
            case .noFreeSeats: "no_free_seats"
            }
        }
        package var reason: String {
            switch self {
            case .notRefundable(let status): "An order that is \(status.rawValue.replacingOccurrences(of: "_", with: " ")) cannot be refunded now."
            case .alreadyOpen: "A refund for this order has already been requested."
            case .noPayment: "This order has no payment to refund."
            case .noFreeSeats: "Every seat of this purchase is used by a member or kept for an invited person, so there is nothing left to refund. Withdraw pending invitations to free their seats."
            }
        }
    }

    /// States in which money has been taken: a refund cancels whatever work is under way.
    package static let refundable: Set<OrderStatus> = [.paid, .queued, .processing, .completed, .failed]

    package let db: any Database
    package let gateway: any PaymentGateway
    package let actor: AuditActor
    package let now: Date
    /// Serialises with fulfilment on SQLite (nil on PostgreSQL, whose row lock suffices).
    package var lock: AsyncMutex? = nil
    /// Where the customer is told of their order refund's outcome (requested, made, declined), and
    /// the site its links point at; nil tells nobody (a stray payment's refund, done by the webhook).
    package var mail: MailQueue? = nil
    package var baseURL: URL? = nil
    /// The predictions provider, whose open predictions for the order a refund cancels (nil without one).
    package var remote: RemoteProvider? = nil
    /// Where the data exports a refund withdraws are destroyed (nil: left to retention's sweep).
    package var store: (any BlobStore)? = nil

    package init(db: any Database, gateway: any PaymentGateway, actor: AuditActor, now: Date, lock: AsyncMutex? = nil, mail: MailQueue? = nil, baseURL: URL? = nil, remote: RemoteProvider? = nil, store: (any BlobStore)? = nil) {
        self.db = db
        self.gateway = gateway
        self.actor = actor
        self.now = now
        self.lock = lock
        self.mail = mail
        self.baseURL = baseURL
        self.remote = remote
        self.store = store
    }

    /// A customer's refund request under `RefundPolicy`: refunded at once when the policy allows it
    /// (a failed order, or within 7 days of paying with no headshot viewed or downloaded at full size), otherwise left for
    /// support. Either way the customer is told by email. Returns the request as it ends.
    package func ask(for order: Order, by user: User, reason: String) async throws -> RefundRequest {
        if order.teamID != nil, order.kind == .headshots {
            throw Failure(.conflict, "Your team paid for this order with one of its seats, so there is no payment of yours to refund. "
                          + "If something is wrong with your headshots, contact support or ask for a re-run.", code: "paid_by_team")
        }
        let decision = try await RefundPolicy.decide(order, now: now, on: db)
        let refund = try await request(for: order, by: user, reason: reason)
        switch decision {
        case .automatic:
            // `finish` tells the customer once the money is back.
            return try await finish(try refund.requireID())
        case .support(let why):
            try await Audit.record("refund.sent_to_support", subjectType: RefundRequest.auditSubject, subjectID: refund.id, by: actor,
                                   detail: why, at: now, on: db)
            try await tell(refund, subject: "We've received your refund request", """
                We've received your request for a refund of \(Self.amount(refund)). It wasn't refunded automatically because \(why), \
                so our support team will decide and tell you by email.
                """, on: db)
            return refund
        }
    }

    /// An email to the customer whose order the refund is for (when this `Refunds` tells anyone).
    private func tell(_ refund: RefundRequest, subject: String, _ text: String, on db: any Database) async throws {
        guard let mail, let order = try await Order.find(refund.$order.id, on: db),
              let owner = try await User.find(order.$user.id, on: db) else { return }
        let link = baseURL.map { base in
            if order.kind == .teamSeats, let teamID = order.teamID { return "\n\nYour team: " + SiteURL.team(.value(teamID), nil).absolute(on: base) }
            return "\n\nYour order: " + SiteURL.order(.value(refund.$order.id), nil).absolute(on: base)
        } ?? ""
        try await mail.enqueue(MailMessage(to: owner.email, subject: subject, text: text + link), on: db)
    }

    private static func amount(_ refund: RefundRequest) -> String {
        Money.format(minor: refund.amountMinor, currency: refund.currency)
    }

    /// Opens a refund request for the order, under its lock and on its state as it is now: a request
    /// racing one that has just refunded the order finds the order refunded, never a second refund.
    package func request(for order: Order, by user: User, reason: String) async throws -> RefundRequest {
        let orderID = try order.requireID(), userID = try user.requireID(), actor = self.actor, now = self.now
        do {
            return try await locked(orderID) { tx -> RefundRequest in
                guard let order = try await Order.find(orderID, on: tx) else { throw Problem.noPayment }
                guard Self.refundable.contains(order.status) else { throw Problem.notRefundable(order.status) }
                guard order.paymentReference != nil, var amount = order.amountMinor, let currency = order.currency else { throw Problem.noPayment }
                if order.kind == .teamSeats {
                    // Only the purchase's free seats: what members used or invitations keep stays bought.
                    guard let price = TeamSeats.seatPrice(of: order), let teamID = order.teamID else { throw Problem.noPayment }
                    try await RowLock.lock(.teams, teamID, on: tx)
                    let seats = try await TeamSeats.refundable(of: order, at: now, on: tx).count
                    guard seats > 0 else { throw Problem.noFreeSeats }
                    amount = seats * price
                }
                let refund = RefundRequest(orderID: orderID, requestedByID: userID, amountMinor: amount, currency: currency,
                                           reason: String(reason.prefix(1000)))
                try await refund.create(on: tx)
                try await Audit.record("refund.requested", subjectType: RefundRequest.auditSubject, subjectID: refund.id, by: actor,
                                       detail: "order \(orderID.uuidString)", at: now, on: tx)
                return refund
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.alreadyOpen
        }
    }

    package func reject(_ refund: RefundRequest, reason: String) async throws {
        try await db.transaction { tx in
            try await Audit.transition(refund, to: .rejected, by: actor, detail: reason, at: now, on: tx)
            if refund.kind == .order {
                try await tell(refund, subject: "Your refund request", """
                    Our support team has declined your request for a refund of \(Self.amount(refund)). Their reason: \(reason)
                    If you'd like to talk about it, reply through the contact page.
                    """, on: tx)
            }
        }
    }

    /// Approves (if still requested) and carries the refund through to the end. A refund already paid
    /// back or rejected is a conflict (approving twice does nothing).
    package func approve(_ refund: RefundRequest) async throws {
        guard [.requested, .approved].contains(refund.status) else {
            throw IllegalTransition(subjectType: RefundRequest.auditSubject, from: refund.status.rawValue, to: RefundStatus.refunded.rawValue)
        }
        let finished = try await finish(try refund.requireID())
        refund.status = finished.status
        refund.statusChangedAt = finished.statusChangedAt
        refund.gatewayRefundID = finished.gatewayRefundID
    }

    /// Resumes every approved refund that has not completed (run by maintenance).
    package func finishApproved(logger: Logger) async throws {
        for refund in try await RefundRequest.query(on: db).filter(\.$status == .approved).all() {
            do { try await finish(try refund.requireID()) }
            catch { logger.error("refund \(refund.id?.uuidString ?? "") still not paid back: \(error)") }
        }
    }

    /// Steps 1–3 from wherever the refund is; returns it as it ends.
    @discardableResult
    package func finish(_ refundID: UUID) async throws -> RefundRequest {
        guard let stored = try await RefundRequest.find(refundID, on: db) else { throw Failure.notFound("There is no such refund.") }
        let orderID = stored.$order.id
        // 1. Approve, and take away what the payment bought.
        guard let payment = try await locked(orderID, { tx -> String? in
            guard let refund = try await RefundRequest.find(refundID, on: tx) else { throw Failure.notFound("There is no such refund.") }
            if refund.status == .refunded { return nil }
            if refund.status == .requested { try await Audit.transition(refund, to: .approved, by: actor, at: now, on: tx) }
            guard refund.status == .approved else {
                throw IllegalTransition(subjectType: RefundRequest.auditSubject, from: refund.status.rawValue, to: RefundStatus.refunded.rawValue)
            }
            guard let order = try await Order.find(orderID, on: tx) else { throw Problem.noPayment }
            switch refund.kind {
            case .strayPayment:
                guard let payment = refund.paymentReference else { throw Problem.noPayment }
                return payment
            case .order:
                guard let payment = order.paymentReference else { throw Problem.noPayment }
                guard Self.refundable.contains(order.status) || order.status == .refunded else { throw Problem.notRefundable(order.status) }
                if order.kind == .teamSeats {
                    // The seats go first; the money follows for as many as could be taken back.
                    guard let price = TeamSeats.seatPrice(of: order) else { throw Problem.noPayment }
                    let asked = refund.amountMinor / price
                    let taken = try await TeamSeats.takeBack(asked, of: order, at: now, on: tx)
                    guard taken > 0 else {
                        try await Audit.transition(refund, to: .rejected, by: actor, detail: "no free seat left to take back", at: now, on: tx)
                        try await tell(refund, subject: "Your refund request", """
                            We could not refund your seats: by the time the refund was made, every seat of this purchase was used by a member \
                            or kept for an invited person. Nothing was charged or refunded.
                            """, on: tx)
                        return nil
                    }
                    if taken < asked {
                        refund.amountMinor = taken * price
                        try await refund.save(on: tx)
                    }
                    try await Audit.record("team.seats_refunded", subjectType: Team.auditSubject, subjectID: order.teamID, by: actor,
                                           detail: "\(taken) of order \(orderID.uuidString.lowercased())", at: now, on: tx)
                    return payment
                }
                for entitlement in try await Entitlement.query(on: tx).filter(\.$order.$id == orderID).filter(\.$status != .revoked).all() {
                    try await Audit.transition(entitlement, to: .revoked, by: actor, detail: "refund", at: now, on: tx)
                }
                for job in try await GenerationJob.query(on: tx).filter(\.$order.$id == orderID).filter(\.$status ~~ [.queued, .running]).all() {
                    try await Audit.transition(job, to: .cancelled, by: actor, detail: "order refunded", at: now, on: tx)
                }
                // Copies of the headshots made for "Download my data" stop with them.
                try await DataExports.withdraw(of: order.$user.id, because: "an order in it was refunded", at: now, on: tx)
                return payment
            }
        }) else {
            return try await RefundRequest.find(refundID, on: db) ?? stored
        }
        // The GPU stops at once: predictions still running for the order are cancelled at the provider.
        if stored.kind == .order, let remote { await remote.cancelOpen(orderID: orderID, on: db, now: now) }
        // The withdrawn exports' ZIPs and keys go now (retention sweeps any this leaves behind).
        if let store, let owner = try await Order.find(orderID, on: db)?.$user.id {
            try await DataExports.destroyWithdrawn(of: owner, store: store, on: db)
        }
        // 2. The money goes back (idempotent per refund). On SQLite under the same lock as the steps
        // around it: the sandbox gateway writes to the database, and a deferred transaction reading
        // then writing beside another writer is answered "database is locked" at once.
        // The amount as step 1 left it (a seat refund may have found fewer free seats than asked).
        let amount = try await RefundRequest.find(refundID, on: db)?.amountMinor ?? stored.amountMinor
        let call = RefundCall(paymentReference: payment, amountMinor: amount, idempotencyKey: "refund-\(refundID.uuidString)")
        let gateway = self.gateway
        let gatewayRefund = if let lock { try await lock.run { try await gateway.refund(call) } } else { try await gateway.refund(call) }
        // 3. Done: the refund, and for an order refund the order too.
        return try await locked(orderID) { tx -> RefundRequest in
            guard let refund = try await RefundRequest.find(refundID, on: tx) else { throw Failure.notFound("There is no such refund.") }
            guard refund.status == .approved else { return refund }
            refund.gatewayRefundID = gatewayRefund
            try await refund.save(on: tx)
            try await Audit.transition(refund, to: .refunded, by: actor, detail: gatewayRefund, at: now, on: tx)
            let order = try await Order.find(orderID, on: tx)
            let seatPurchase = order?.kind == .teamSeats
            // A seat purchase is refunded as a whole once none of its seats is left.
            let whole = if let order, seatPurchase { try await TeamSeats.allRefunded(order, on: tx) } else { true }
            if refund.kind == .order, let order, order.status != .refunded, whole {
                try await Audit.transition(order, to: .refunded, by: actor, detail: gatewayRefund, at: now, on: tx)
            }
            if refund.kind == .order, seatPurchase, let order, let price = TeamSeats.seatPrice(of: order) {
                let seats = refund.amountMinor / price
                try await tell(refund, subject: "Your refund of \(Self.amount(refund))", """
                    We've refunded \(Self.amount(refund)) for \(seats) unused seat\(seats == 1 ? "" : "s") of your team's purchase. It goes back to \
                    the card you paid with; your bank may take a few days to show it. \(whole ? "That was the last seat of the purchase." : "The other seats of the purchase stay the team's.")
                    """, on: tx)
            } else if refund.kind == .order {
                // Whoever made it (the policy at once, support, or maintenance after a gateway outage), once.
                try await tell(refund, subject: "Your refund of \(Self.amount(refund))", """
                    We've refunded \(Self.amount(refund)) for your order. It goes back to the card you paid with; your bank may take \
                    a few days to show it. The order's headshots, downloads and share links no longer work.
                    """, on: tx)
            }
            return refund
        }
    }

    private func locked<T: Sendable>(_ orderID: UUID, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await OrderLock.run(orderID, on: db, mutex: lock, body)
    }
}
