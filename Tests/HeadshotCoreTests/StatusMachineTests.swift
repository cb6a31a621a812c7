import FluentKit
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

@Suite("Status machines and audit") struct StatusMachineTests {
    @Test func orderLifecycleFollowsTheDocumentedPath() {
        let path: [OrderStatus] = [.draft, .awaitingPayment, .paid, .queued, .processing, .completed]
        for (from, to) in zip(path, path.dropFirst()) { #expect(from.canMove(to: to), "\(from) → \(to)") }
        #expect(!OrderStatus.draft.canMove(to: .paid))
        #expect(!OrderStatus.draft.canMove(to: .completed))
        #expect(OrderStatus.deleted.isFinal)
    }

    /// The queue writes its moves in SQL; each one it writes is one its machine lists, and its audit
    /// events name the same states.
    @Test func theQueuesMovesInSQLAreLegalTransitions() {
        let jobMoves = JobQueue.Moves.all.map { ($0.from, $0.to) }
        #expect(jobMoves.count == 4)
        for (from, to) in jobMoves { #expect(from.canMove(to: to), "job \(from) → \(to)") }
        #expect(Set(jobMoves.map { "\($0.0.rawValue)→\($0.1.rawValue)" }) == ["queued→running", "running→queued", "running→succeeded", "running→failed"])
        for move in [JobQueue.Moves.orderProcessing, JobQueue.Moves.orderCompleted] { #expect(move.from.canMove(to: move.to)) }
    }

    /// Walks every legal move of every entity against the real database, and one illegal move each.
    @Test func everyLegalTransitionIsWrittenWithItsAuditEvent() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let userID = try user.requireID()
            let package = try #require(try await Package.query(on: app.db).first())
            let order = Order(userID: userID)
            try await order.create(on: app.db)
            let orderID = try order.requireID()

            try await walk(OrderStatus.self, app, clock) { status in
                let model = Order(userID: userID, status: status); return model
            }
            try await walk(UploadStatus.self, app, clock) { status in
                let model = UploadAsset(orderID: orderID, blobKey: "k", originalFilename: "a.jpg", byteSize: 1); model.status = status; return model
            }
            try await walk(JobStatus.self, app, clock) { status in
                // At most one active job per order (a partial unique index): each gets its own order.
                let owner = Order(userID: userID); try await owner.create(on: app.db)
                let model = GenerationJob(orderID: try owner.requireID(), kind: "generate", priority: 0, runAt: clock.now(), total: 1)
                model.status = status; return model
            }
            try await walk(GeneratedAssetStatus.self, app, clock) { status in
                let model = GeneratedAsset(orderID: orderID, jobID: nil, sequence: 0, preset: "corporate-grey", blobKey: "k", width: 1, height: 1); model.status = status; return model
            }
            try await walk(EntitlementStatus.self, app, clock) { status in
                // One entitlement per order: each gets its own order.
                let owner = Order(userID: userID); try await owner.create(on: app.db)
                let model = Entitlement(orderID: try owner.requireID(), userID: userID, packageID: try package.requireID(),
                                        headshotCount: 40, rerunCredits: 1, paymentReference: nil)
                model.status = status; return model
            }
            try await walk(DeletionStatus.self, app, clock) { status in
                let model = DeletionRequest(userID: userID, scope: .order, orderID: orderID); model.status = status; return model
            }
            try await walk(RefundStatus.self, app, clock) { status in
                // One order per refund: an order has at most one open refund.
                let refunded = Order(userID: userID)
                try await refunded.create(on: app.db)
                let model = RefundRequest(orderID: try refunded.requireID(), requestedByID: userID, amountMinor: 2900, currency: "USD", reason: "test"); model.status = status; return model
            }
            try await walk(TicketStatus.self, app, clock) { status in
                let model = SupportTicket(userID: userID, orderID: orderID, subject: "s", body: "b"); model.status = status; return model
            }
            try await walk(NotificationStatus.self, app, clock) { status in
                let model = Notification(userID: userID, kind: "k", title: "t", body: "b", link: nil); model.status = status; return model
            }
        }
    }

    /// For every legal (from → to): a row in `from` moves to `to`, the row and one matching AuditEvent are stored.
    /// For one illegal pair: a typed error, and neither the row nor the audit trail changes.
    private func walk<M: StatusTracked>(_: M.Status.Type, _ app: CoreTestApp, _ clock: ManualClock,
                                        make: (M.Status) async throws -> M) async throws {
        var illegal: (M.Status, M.Status)?
        for from in M.Status.allCases {
            for to in M.Status.allCases where to != from {
                guard from.canMove(to: to) else { if illegal == nil { illegal = (from, to) }; continue }
                let model = try await make(from)
                try await model.create(on: app.db)
                clock.advance(by: 1)
                try await Audit.transition(model, to: to, by: .system("req-1"), at: clock.now(), on: app.db)
                let stored = try #require(try await M.find(model.id, on: app.db))
                #expect(stored.status == to, "\(M.auditSubject) \(from) → \(to)")
                let events = try await AuditEvent.query(on: app.db).filter(\.$subjectID == model.id).all()
                #expect(events.count == 1)
                #expect(events.first?.fromState == from.rawValue && events.first?.toState == to.rawValue)
                #expect(events.first?.requestID == "req-1" && events.first?.subjectType == M.auditSubject)
            }
        }
        let (from, to) = try #require(illegal, "\(M.auditSubject) has no illegal move to test")
        let model = try await make(from)
        try await model.create(on: app.db)
        await #expect(throws: IllegalTransition.self) {
            try await Audit.transition(model, to: to, by: .system(), at: clock.now(), on: app.db)
        }
        #expect(try await M.find(model.id, on: app.db)?.status == from)
        #expect(try await AuditEvent.query(on: app.db).filter(\.$subjectID == model.id).count() == 0)
    }

    @Test func aFailingWriteInTheSameTransactionLeavesNeitherStatusNorAudit() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let order = Order(userID: try user.requireID())
            try await order.create(on: app.db)
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await app.db.transaction { tx in
                    try await Audit.transition(order, to: .awaitingPayment, by: .system(), at: clock.now(), on: tx)
                    throw Boom()
                }
            }
            #expect(try await Order.find(order.id, on: app.db)?.status == .draft)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$subjectID == order.id).count() == 0)
        }
    }

    @Test func aStaleCopyCannotOverwriteANewerStatus() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let order = Order(userID: try user.requireID())
            try await order.create(on: app.db)
            let stale = try #require(try await Order.find(order.id, on: app.db))
            try await Audit.transition(order, to: .awaitingPayment, by: .system(), at: clock.now(), on: app.db)
            try await Audit.transition(order, to: .draft, by: .system(), at: clock.now(), on: app.db)
            try await Audit.transition(order, to: .deleted, by: .system(), at: clock.now(), on: app.db)
            // The stale copy still believes the order is a draft; the database says it is deleted.
            await #expect(throws: ConcurrentTransition.self) {
                try await Audit.transition(stale, to: .awaitingPayment, by: .system(), at: clock.now(), on: app.db)
            }
            #expect(try await Order.find(order.id, on: app.db)?.status == .deleted)
        }
    }
}
