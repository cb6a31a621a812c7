import FluentKit
import Foundation

/// Self-serve deletion, shared by the pages and the JSON API: asking for one (password re-entered),
/// and looking one up as its owner or, signed out, with the receipt's secret. The work itself is
/// done by `DeletionWorker`.
package struct Deletions {
    /// Wrong passwords for deletion, per account, before a pause (each costs a bcrypt check).
    package static let passwordChecks = RateLimiter.Rule(bucket: "deletion-password", limit: 10, window: 3600,
                                                 what: "You've entered a wrong password several times.")
    /// What the pages promise, and what `make bench` measures against.
    package static let promise = "usually under a minute, at most 15 minutes"

    package let db: any Database
    package let context: DomainContext
    package let passwords: any PasswordHashingPort
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, passwords: any PasswordHashingPort, actor: AuditActor) {
        self.db = db
        self.context = context
        self.passwords = passwords
        self.actor = actor
    }

    package struct Created {
        package let request: DeletionRequest
        /// Shown once; with the receipt id it opens the receipt signed out. Kept only as a hash.
        package let secret: String
    }

    /// Records a deletion request after checking the password, ownership, and that nothing is being
    /// made from the data right now. `freshLogin` is false for an API call whose token is not a
    /// recent login: deleting the account also needs one.
    package func request(by user: User, scope: DeletionRequest.Scope, orderID: UUID?, password: String, freshLogin: Bool = true) async throws -> Created {
        let userID = try user.requireID(), now = context.clock.now()
        var order: Order?
        if scope != .account {
            guard let orderID else { throw Failure(.invalid, "Say which order: order_id is needed for scope \(scope.rawValue).", code: "order_required") }
            guard let found = try await Order.find(orderID, on: db), found.$user.id == userID else {
                throw Failure(.notFound, "There is no such order in your account.")
            }
            order = found
        } else if !freshLogin {
            throw Failure(.forbidden, "Deleting your account needs a fresh login: get a new token (POST /api/v1/auth/token) and send this request within 15 minutes of it.",
                          code: "fresh_login_required")
        }
        try await RateLimiter(db: db).hit(Self.passwordChecks, subject: userID.uuidString, at: now)
        guard try await passwords.verify(password, against: user.passwordHash) else {
            throw Failure(.forbidden, "That password is not right. Enter the password you sign in with.", code: "wrong_password")
        }

        if let order {
            guard order.status != .deleted else { throw Failure(.conflict, "This order has already been deleted.", code: "already_deleted") }
            if Self.busy.contains(order.status) { throw Self.busyFailure }
        } else {
            let busy = try await Order.query(on: db).filter(\.$user.$id == userID).filter(\.$status ~~ Self.busy).count()
            if busy > 0 { throw Self.busyFailure }
        }
        var pending = DeletionRequest.query(on: db).filter(\.$userID == userID).filter(\.$scope == scope).filter(\.$status != .completed)
        if let orderID { pending = pending.filter(\.$orderID == orderID) }
        if let existing = try await pending.first() {
            throw Failure(.conflict, "This deletion was already requested and is under way (request \(try existing.requireID())).", code: "deletion_in_progress")
        }

        let secret = SecureToken.generate(prefix: "")
        let request = DeletionRequest(userID: userID, scope: scope, orderID: orderID)
        request.receiptID = UUID()
        request.receiptSecretHash = SecureToken.digest(secret)
        request.notifyEmail = user.email
        request.runAt = now
        try await db.transaction { tx in
            try await request.create(on: tx)
            try await Audit.record("deletion.requested", subjectType: DeletionRequest.auditSubject, subjectID: request.id, by: actor,
                                   detail: scope.rawValue, at: now, on: tx)
        }
        return Created(request: request, secret: secret)
    }

    /// Orders being made read their selfies: they cannot be deleted until the work ends.
    package static let busy = OrderStatus.beingMade
    package static let busyFailure = Failure(.conflict, "Your headshots are being made right now. You can delete this once the order has finished (usually within minutes).",
                                     code: "order_in_progress")

    /// The request, to its owner. Someone else's request is "not found".
    package func find(_ id: UUID?, for userID: UUID) async throws -> DeletionRequest {
        guard let id, let request = try await DeletionRequest.find(id, on: db), request.userID == userID else {
            throw Failure(.notFound, "There is no such deletion request.")
        }
        return request
    }

    /// The request to whoever holds its receipt secret (after an account deletion nobody is signed in).
    package func find(_ id: UUID?, secret: String?) async throws -> DeletionRequest {
        guard let id, let secret, !secret.isEmpty, secret.count <= 128,
              let request = try await DeletionRequest.find(id, on: db), Self.opens(request, secret: secret)
        else { throw Failure(.notFound, "There is no such deletion request, or the receipt code is wrong.") }
        return request
    }

    /// The completed receipt, by its public id and secret.
    package func receipt(_ receiptID: UUID?, secret: String?) async throws -> DeletionReceipt {
        guard let receiptID, let secret, !secret.isEmpty, secret.count <= 128,
              let request = try await DeletionRequest.query(on: db).filter(\.$receiptID == receiptID).first(),
              Self.opens(request, secret: secret)
        else { throw Failure(.notFound, "There is no such receipt, or the receipt code is wrong.") }
        guard let text = request.receipt else {
            throw Failure(.conflict, "The deletion has not finished yet; the receipt is written when it does.", code: "not_finished")
        }
        return try DeletionReceipt.parse(text)
    }

    /// The user's requests, newest first (for the account page).
    package func list(for userID: UUID) async throws -> [DeletionRequest] {
        try await DeletionRequest.query(on: db).filter(\.$userID == userID).sort(\.$createdAt, .descending).limit(50).all()
    }

    package static func opens(_ request: DeletionRequest, secret: String) -> Bool {
        guard let hash = request.receiptSecretHash else { return false }
        let given = Array(SecureToken.digest(secret).utf8), stored = Array(hash.utf8)
        guard given.count == stored.count else { return false }
        return zip(given, stored).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether a legal hold keeps this request waiting (the customer is told a hold exists, not why).
    package static func isHeld(_ request: DeletionRequest, on db: any Database) async throws -> Bool {
        if try await User.find(request.userID, on: db)?.legalHoldAt != nil { return true }
        var held = Order.query(on: db).filter(\.$legalHoldAt != nil)
        held = request.scope == .account ? held.filter(\.$user.$id == request.userID) : held.filter(\.$id == (request.orderID ?? UUID()))
        return try await held.count() > 0
    }
}
