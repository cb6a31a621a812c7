import Fluent
import Imaging
import Mail
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Work an attacker could make the service do for free: password guesses, uploads, mail.
@Suite("Abuse limits") struct AbuseLimitTests {
    // 7. Fifty guesses sent at once: at most ten reach bcrypt, the rest are refused before it.
    @Test func fiftyConcurrentLoginGuessesEvaluateAtMostTen() async throws {
        try await withTestApp { app, _ in
            let user = try await Fixtures.user(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for guess in 0..<50 {
                    group.addTask {
                        let browser = Browser(app)
                        browser.ip = "198.51.100.\(guess)"
                        return try await browser.request(.POST, "/api/v1/auth/token", json: ["email": user.email, "password": "wrong guess \(guess)"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let evaluated = statuses.filter { $0 == .unauthorized }.count
            #expect(evaluated <= LoginThrottle.perAccount, "\(evaluated) guesses were checked")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 50 - evaluated)
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == "user.login_failed").count()
            #expect(failures == evaluated, "each evaluated guess is audited, refused ones never reach the password check")
        }
    }

    // 5. A multipart upload counts each file against the limit, before any is checked.
    @Test func uploadLimitCountsFilesNotRequests() async throws {
        try await withTestApp { app, _ in
            let (client, user) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            try await RateLimiter(db: app.db).hit(RateLimiter.uploads, subject: user.requireID().uuidString,
                                                  count: RateLimiter.uploads.limit - 2, at: app.clock.now())
            let photo = try PhotoClient.fixture(PhotoClient.personA[0])
            let (body, contentType) = PhotoClient.multipart([("a.jpg", photo), ("b.jpg", photo), ("c.jpg", photo)])
            var headers = client.auth
            headers.replaceOrAdd(name: .contentType, value: contentType)
            let response = try await client.browser.request(.POST, "/api/v1/orders/\(order)/photos", headers: headers, body: ByteBuffer(bytes: body))
            #expect(response.status == .tooManyRequests, "\(response.body.string.prefix(300))")
            #expect(response.headers.first(name: "Retry-After") != nil)
            #expect(try await UploadAsset.query(on: app.db).count() == 0, "nothing was checked or stored")
            #expect(try await RateEvent.query(on: app.db).count() <= RateLimiter.uploads.limit, "refused files are not counted past the limit")
        }
    }

    // 5. Refused photos are kept to show what is wrong, but an order holds at most 40 photos in all.
    @Test func anOrderHoldsAtMostFortyPhotosCountingRefusedOnes() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let orderID = try #require(UUID(uuidString: order))
            for index in 0..<(OrderPhotos.maximumStored - 1) {
                let refused = UploadAsset(orderID: orderID, blobKey: "none", originalFilename: "blurry-\(index).jpg", byteSize: 1)
                refused.status = .rejected
                try await refused.create(on: app.db)
            }
            #expect(try await client.upload(fixture: PhotoClient.personA[0], to: order).status == .created)
            let over = try await client.upload(fixture: PhotoClient.personA[1], to: order)
            #expect(over.status == .conflict)
            #expect(over.body.string.contains("too_many_photos") && over.body.string.contains("Remove the photos we can't use"))
            #expect(try await UploadAsset.query(on: app.db).filter(\.$status != .deleted).count() == OrderPhotos.maximumStored)
        }
    }

    // 5. The set checks run once per change of the set, not on every read.
    @Test func setChecksAreComputedOncePerChangeNotPerRead() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let orderID = try #require(UUID(uuidString: order))
            for photo in PhotoClient.personA.prefix(2) { #expect(try await client.upload(fixture: photo, to: order).status == .created) }
            _ = try await client.readiness(order)
            let stored = try #require(try await Order.find(orderID, on: app.db)?.photoSetCache)
            // Mark the kept result: a read that recomputed would lose the mark.
            var evaluated = try JSONDecoder().decode(PhotoSet.Evaluated.self, from: Data(stored.utf8))
            let marker = Finding(code: .duplicate, verdict: .warn, score: 60, message: "kept-result-marker", tip: "")
            evaluated = PhotoSet.Evaluated(ids: evaluated.ids, reports: evaluated.reports, hints: evaluated.hints + [marker])
            try await Order.query(on: app.db).filter(\.$id == orderID)
                .set(\.$photoSetCache, to: String(decoding: try JSONEncoder().encode(evaluated), as: UTF8.self)).update()
            for _ in 0..<3 {
                let page = try await client.api(.GET, "/orders/\(order)/photos")
                #expect(page.body.string.contains("kept-result-marker"), "an unchanged set is read, not recomputed")
            }
            let photos = try await client.photoIDs(order)
            #expect(try await client.api(.DELETE, "/orders/\(order)/photos/\(photos[0].id)").status == .noContent)
            let after = try await client.api(.GET, "/orders/\(order)/photos")
            #expect(!after.body.string.contains("kept-result-marker"), "a change of the set recomputes it")
        }
    }

    // 16. Face geometry is never stored in the findings, and a removed photo keeps none of it.
    @Test func faceLandmarksAreNotStoredAndRemovalErasesEveryBiometric() async throws {
        try await withTestApp { app, _ in
            let (client, _) = try await PhotoClient.make(app)
            let order = try await client.createOrder()
            let response = try await client.upload(fixture: PhotoClient.personA[0], to: order)
            #expect(response.status == .created && !response.body.string.contains("landmarks"))
            let upload = try #require(try await UploadAsset.query(on: app.db).first())
            #expect(upload.faceDescriptor != nil, "the descriptor is kept for the set checks while the photo exists")
            #expect(upload.findings?.contains("landmarks") == false, "\(upload.findings ?? "")")

            // A row written before this change, with landmarks in its findings, loses them with the photo.
            upload.findings = upload.findings?.replacingOccurrences(of: #""width""#, with: #""landmarks":[{"x":1,"y":2}],"width""#)
            try await upload.save(on: app.db)
            #expect(try await client.api(.DELETE, "/orders/\(order)/photos/\(upload.requireID())").status == .noContent)
            let removed = try #require(try await UploadAsset.find(upload.requireID(), on: app.db))
            #expect(removed.faceDescriptor == nil)
            #expect(removed.findings?.contains("landmarks") != true)
        }
    }
}

/// A relay that is down for the first `failures` messages, then delivers (into memory).
final class FlakyMailer: Mailer, @unchecked Sendable {
    private let lock = NSLock()
    private var remainingFailures: Int
    private let error: MailError
    private(set) var delivered: [MailMessage] = []
    private var sends = 0

    init(failures: Int, error: MailError = .connectionFailed("relay down (test)")) {
        remainingFailures = failures
        self.error = error
    }

    func send(_ message: MailMessage, from sender: String) async throws {
        try lock.withLock {
            sends += 1
            if remainingFailures > 0 {
                remainingFailures -= 1
                throw error
            }
            delivered.append(message)
        }
    }

    var count: Int { lock.withLock { delivered.count } }
    /// Every send tried, failed or not.
    var tries: Int { lock.withLock { sends } }
}

@Suite("Unauthenticated work is bounded and mail is durable") struct AccountMailLimitTests {
    // 6. Sign-ups: at most 10 per client address per hour; none past it costs a bcrypt hash.
    @Test func signUpsAreLimitedPerClientAddress() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            for index in 0..<RateLimiter.signUpsPerAddress.limit {
                let response = try await browser.request(.POST, "/api/v1/users", json: ["email": "new\(index)@example.com", "password": Fixtures.password])
                #expect(response.status == .accepted)
            }
            let refused = try await browser.request(.POST, "/api/v1/users", json: ["email": "one-more@example.com", "password": Fixtures.password])
            #expect(refused.status == .tooManyRequests && refused.headers.first(name: "Retry-After") != nil)
            #expect(try await User.query(on: app.db).count() == RateLimiter.signUpsPerAddress.limit)
            browser.ip = "192.0.2.77"
            #expect(try await browser.request(.POST, "/api/v1/users", json: ["email": "one-more@example.com", "password": Fixtures.password]).status == .accepted)
        }
    }

    // 6. One mailbox gets at most 5 account mails an hour, whoever asks and from wherever.
    @Test func accountMailToOneAddressIsLimitedWhoeverAsks() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            var statuses: [HTTPStatus] = []
            for attempt in 0..<7 {
                let browser = Browser(app)
                browser.ip = "198.51.100.\(attempt)"
                statuses.append(try await browser.request(.POST, "/api/v1/auth/password-reset-requests", json: ["email": user.email]).status)
            }
            #expect(statuses.filter { $0 == .accepted }.count == RateLimiter.accountMailPerRecipient.limit, "\(statuses)")
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            #expect(try await Fixtures.mail(app, to: user.email).count == RateLimiter.accountMailPerRecipient.limit)
            // Unknown addresses count the same way, so the limit reveals nothing.
            for _ in 0..<RateLimiter.accountMailPerRecipient.limit {
                _ = try await Browser(app).request(.POST, "/api/v1/auth/password-reset-requests", json: ["email": "ghost@example.com"])
            }
            #expect(try await Browser(app).request(.POST, "/api/v1/auth/password-reset-requests", json: ["email": "ghost@example.com"]).status == .tooManyRequests)
            clock.advance(by: 3601)
            #expect(try await Browser(app).request(.POST, "/api/v1/auth/password-reset-requests", json: ["email": user.email]).status == .accepted)
        }
    }

    // 6. Mail is kept in the database until the relay takes it: an outage delays it, never loses it,
    //    and does not use up its attempts, so it goes out within a minute of the relay's return.
    /// Mail queued inside a transaction (an invitation, a receipt) goes out once the transaction
    /// commits, by the delivery its own enqueue started: not left for the next round.
    @Test func mailQueuedInATransactionGoesOutWhenItCommits() async throws {
        try await withTestApp { app, _ in
            try await app.db.transaction { tx in
                try await app.mailQueue.enqueue(MailMessage(to: "late@example.com", subject: "Committed later", text: "hello"), on: tx)
                try await Task.sleep(for: .milliseconds(300))
            }
            await app.mailQueue.finishDeliveries()
            let sent = try await OutgoingMail.query(on: app.db).filter(\.$subject == "Committed later").first()
            #expect(sent?.sentAt != nil, "sent by the round its enqueue started, once the row was committed")
        }
    }

    @Test func mailSurvivesARelayOutageAndGoesOutWithinAMinuteOfTheRelaysReturn() async throws {
        let relay = FlakyMailer(failures: 3)
        try await withTestApp(services: { overrides, _ in overrides.mailer = relay }) { app, clock in
            let user = try await Fixtures.user(app, verified: false)
            // A correct password on an unconfirmed account sends the confirmation link again.
            _ = try await Browser(app).submit("/login", ["email": user.email, "password": Fixtures.password])
            await app.mailQueue.drain()
            var queued = try #require(try await OutgoingMail.query(on: app.db).filter(\.$recipient == user.email).first())
            #expect(relay.count == 0 && relay.tries == 1 && queued.sentAt == nil && queued.lastError?.contains("relay down") == true)
            #expect(queued.attempts == 0, "an unreachable relay does not spend the message's attempts")
            #expect(queued.runAt > clock.now() && queued.runAt <= clock.now().addingTimeInterval(MailQueue.relayRetry))
            clock.advance(by: 30)
            try await app.mailQueue.deliverDue()
            #expect(relay.tries == 1, "no new connection before the minute is up")
            // The outage goes on: one try a minute, none counted against the message.
            for _ in 0..<2 {
                clock.advance(by: MailQueue.relayRetry + 1)
                try await app.mailQueue.deliverDue()
            }
            queued = try #require(try await OutgoingMail.find(queued.requireID(), on: app.db))
            #expect(relay.tries == 3 && queued.attempts == 0 && queued.sentAt == nil)
            // The relay is back: the next round, within a minute, delivers it.
            clock.advance(by: MailQueue.relayRetry + 1)
            try await app.mailQueue.deliverDue()
            queued = try #require(try await OutgoingMail.find(queued.requireID(), on: app.db))
            #expect(queued.sentAt != nil && queued.attempts == 1 && relay.count == 1)
            #expect(queued.textBody.isEmpty, "the delivered body (a single-use link) is not kept")
            #expect(relay.delivered.first?.subject == "Confirm your email for Headshot Studio")
            try await app.mailQueue.deliverDue()
            #expect(relay.count == 1, "a sent message is never sent twice")
        }
    }

    // 7. A message the relay refuses (550) is retried with growing waits, then given up, each try counted.
    @Test func aMessageTheRelayRefusesIsRetriedWithBackoffThenGivenUp() async throws {
        let relay = FlakyMailer(failures: 100, error: .unexpectedReply(command: "RCPT TO", code: 550, text: "no such user"))
        try await withTestApp(services: { overrides, _ in overrides.mailer = relay }) { app, clock in
            let user = try await Fixtures.user(app, verified: false)
            _ = try await Browser(app).submit("/login", ["email": user.email, "password": Fixtures.password])
            await app.mailQueue.drain()
            var queued = try #require(try await OutgoingMail.query(on: app.db).filter(\.$recipient == user.email).first())
            #expect(queued.attempts == 1 && queued.failedAt == nil)
            #expect(abs(queued.runAt.timeIntervalSince(clock.now()) - MailQueue.backoff[0]) < 1)
            for wait in MailQueue.backoff {
                clock.advance(by: wait + 1)
                try await app.mailQueue.deliverDue()
            }
            queued = try #require(try await OutgoingMail.find(queued.requireID(), on: app.db))
            #expect(queued.attempts == MailQueue.backoff.count + 1 && queued.failedAt != nil && queued.sentAt == nil)
            #expect(relay.tries == MailQueue.backoff.count + 1 && relay.count == 0)
        }
    }
}
