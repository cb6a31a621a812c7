import FluentKit
import Foundation
import SQLKit
import Testing
import HeadshotTestSupport
@testable import HeadshotCore

/// The one lease engine on its own, on the tables it serves: claims that never hand a row to two
/// workers, fencing after a lease is lost, expiry, give-back and the reaper, on SQLite and PostgreSQL.
@Suite("Lease engine") struct LeaseTests {
    static let mail = Lease(MailQueue.table, duration: 60)

    static func message(_ app: CoreTestApp, due: Date) async throws -> UUID {
        let mail = OutgoingMail(recipient: "someone@example.com", subject: "Hello", textBody: "text", at: due)
        try await mail.create(on: app.db)
        return try mail.requireID()
    }

    @Test func concurrentWorkersNeverLeaseTheSameRowTwice() async throws {
        try await withCoreTestApp { app, clock in
            var made = Set<UUID>()
            for _ in 0..<24 { made.insert(try await Self.message(app, due: clock.now())) }
            let now = clock.now(), sql = try app.db.sql()
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [UUID] = []
                        while let (claim, _) = try await Self.mail.claim(by: "w\(worker)", now: now, on: sql) { mine.append(claim.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(claimed.count == 24, "every row leased once, none twice")
            #expect(Set(claimed) == made)
            let rows = try await OutgoingMail.query(on: app.db).all()
            #expect(rows.allSatisfy { $0.status == .sending && $0.attempts == 1 && $0.leaseToken != nil && $0.leaseOwner?.hasPrefix("w") == true })
        }
    }

    @Test func aRowIsNotLeasedBeforeItIsDueAndTheOldestDueGoesFirst() async throws {
        try await withCoreTestApp { app, clock in
            let later = try await Self.message(app, due: clock.now().addingTimeInterval(300))
            let newer = try await Self.message(app, due: clock.now().addingTimeInterval(-10))
            let older = try await Self.message(app, due: clock.now().addingTimeInterval(-60))
            let sql = try app.db.sql()
            let first = try #require(try await Self.mail.claim(by: "w", now: clock.now(), on: sql)?.claim)
            let second = try #require(try await Self.mail.claim(by: "w", now: clock.now(), on: sql)?.claim)
            #expect([first.id, second.id] == [older, newer])
            #expect(try await Self.mail.claim(by: "w", now: clock.now(), on: sql) == nil, "the third is not due")
            #expect(try await Self.mail.hasDue(now: clock.now(), on: sql) == false, "an idle sender finds nothing by reading")
            for done in [first, second] { try await Self.mail.end(done, status: "sent", now: clock.now(), on: sql) }
            clock.advance(by: 301)
            #expect(try await Self.mail.hasDue(now: clock.now(), on: sql))
            #expect(try await Self.mail.claim(by: "w", now: clock.now(), on: sql)?.claim.id == later)
        }
    }

    @Test func aWorkerWhoseLeaseRanOutIsFencedOutOfEveryWrite() async throws {
        try await withCoreTestApp { app, clock in
            let id = try await Self.message(app, due: clock.now())
            let sql = try app.db.sql()
            let stale = try #require(try await Self.mail.claim(by: "w1", now: clock.now(), on: sql)?.claim)
            clock.advance(by: 30)
            #expect(try await Self.mail.extend(stale, now: clock.now(), on: sql), "a live worker extends its lease")
            clock.advance(by: 59)
            #expect(try await Self.mail.claim(by: "w2", now: clock.now(), on: sql) == nil, "the extended lease still holds")
            clock.advance(by: 2)
            let fresh = try #require(try await Self.mail.claim(by: "w2", now: clock.now(), on: sql)?.claim)
            #expect(fresh.id == id && fresh.attempt == 2 && fresh.token != stale.token)

            #expect(try await Self.mail.extend(stale, now: clock.now(), on: sql) == false)
            #expect(try await Self.mail.update(stale, set: "subject = 'overwritten'", on: sql) == false)
            await #expect(throws: Lease.Lost.self) {
                try await Self.mail.end(stale, status: "sent", set: "sent_at = \(bind: clock.now())", now: clock.now(), on: sql)
            }
            try await Self.mail.end(fresh, status: "sent", set: "sent_at = \(bind: clock.now())", now: clock.now(), on: sql)
            let row = try #require(try await OutgoingMail.find(id, on: app.db))
            #expect(row.status == .sent && row.subject == "Hello" && row.leaseToken == nil && row.leaseOwner == nil && row.leaseExpiresAt == nil)
            #expect(try await Self.mail.claim(by: "w3", now: clock.now().addingTimeInterval(3_600), on: sql) == nil, "a finished row is never leased again")
        }
    }

    @Test func aGivenBackRowWaitsForItsNewTimeAndKeepsItsAttempts() async throws {
        try await withCoreTestApp { app, clock in
            let id = try await Self.message(app, due: clock.now())
            let sql = try app.db.sql()
            let claim = try #require(try await Self.mail.claim(by: "w", now: clock.now(), on: sql)?.claim)
            let retry = clock.now().addingTimeInterval(120)
            try await Self.mail.end(claim, status: "queued", set: "run_at = \(bind: retry)", now: clock.now(), on: sql)
            #expect(try await Self.mail.claim(by: "w", now: clock.now().addingTimeInterval(119), on: sql) == nil)
            let again = try #require(try await Self.mail.claim(by: "w", now: retry, on: sql)?.claim)
            #expect(again.id == id && again.attempt == 2)
        }
    }

    @Test func aTableThatDoesNotReclaimExpiredLeasesHasThemReturnedByTheReaper() async throws {
        try await withCoreTestApp { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let jobs = Lease(JobQueue.table, duration: 60), sql = try app.db.sql()
            let claim = try #require(try await jobs.claim(by: "w1", now: clock.now(), returning: JobQueue.claimColumns, on: sql)?.claim)
            #expect(claim.id == job.id)
            clock.advance(by: 61)
            #expect(try await jobs.claim(by: "w2", now: clock.now(), returning: JobQueue.claimColumns, on: sql) == nil,
                    "an expired job is not taken over directly")
            let reaped = try await jobs.reap(now: clock.now(), to: "queued", set: "last_error = 'lost'", on: sql)
            #expect(try reaped.map { try $0.decode(column: "id", as: UUID.self) } == [job.id])
            #expect(try await jobs.reap(now: clock.now(), to: "queued", on: sql).isEmpty, "reaping twice returns nothing more")
            let again = try #require(try await jobs.claim(by: "w2", now: clock.now(), returning: JobQueue.claimColumns, on: sql)?.claim)
            #expect(again.id == job.id && again.attempt == 2)
            #expect(try await jobs.update(claim, set: "progress_done = 99", on: sql) == false, "the first worker is fenced out")
        }
    }
}
