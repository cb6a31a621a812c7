import Fluent
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SQLKit
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// Real `headshot worker` processes against PostgreSQL, with the probe generator: a random worker is
/// SIGKILLed in the middle of a job, again and again, and replaced. Every job must end succeeded
/// exactly once, with exactly its headshots (no duplicate rows or blobs), and nothing left running.
@Suite("Queue under killed workers", .enabled(if: TestDatabase.postgresAdminURL != nil, "runs against the PostgreSQL that make test starts"))
struct QueueCrashTests {
    static let kills = 50
    static let workers = 3
    static let jobs = 150
    static let headshotsPerJob = 8
    static let lease = 5

    /// One `headshot worker` child process, its output kept in a file for when something goes wrong.
    final class WorkerProcess {
        let process = Process()
        let log: String

        init(environment: [String: String], logDirectory: String, number: Int) throws {
            log = logDirectory + "/worker-\(number).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("headshot")
            process.arguments = ["worker"]
            process.currentDirectoryURL = CheckCommandTests.packageRoot
            process.environment = environment
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        func kill(_ signal: Int32) {
            Glibc.kill(pid, signal)
            process.waitUntilExit()
        }

        /// Signals the worker and waits for it to exit on a thread of its own: a graceful stop can take a
        /// while, and the servers of other tests need the two cooperative threads meanwhile.
        func stop(_ signal: Int32) async {
            Glibc.kill(pid, signal)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async { [process] in
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
    }

    @Test func everyJobSucceedsExactlyOnceWhileWorkersAreKilledMidJob() async throws {
        try await withTestApp { app, _ in
            guard case .postgres(let url) = app.config.database else { throw TestFailure("needs PostgreSQL") }
            let user = try await Fixtures.user(app)
            let now = Date()
            for number in 0..<Self.jobs {
                let order = Order(userID: try user.requireID(), status: .queued)
                try await order.create(on: app.db)
                try await GenerationJob(orderID: try order.requireID(), kind: "generate", priority: number % 2 == 0 ? 10 : 0,
                                        runAt: now, maxAttempts: 1_000, total: Self.headshotsPerJob).create(on: app.db)
            }
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = url
            environment["DATA_DIR"] = app.config.dataDirectory
            environment["SECRET_KEY"] = String(repeating: "07", count: 32)  // the test app's key, so both read the blobs
            environment["GENERATOR"] = "probe"
            environment["PROBE_MS_PER_HEADSHOT"] = "60"
            environment["QUEUE_LEASE_SECONDS"] = String(Self.lease)
            environment["LOG_LEVEL"] = "notice"
            let logs = app.config.dataDirectory + "/logs"
            try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)

            var started = 0
            func launch() throws -> WorkerProcess {
                started += 1
                return try WorkerProcess(environment: environment, logDirectory: logs, number: started)
            }
            var running = try (0..<Self.workers).map { _ in try launch() }
            defer { for worker in running where worker.process.isRunning { worker.kill(SIGKILL) } }

            // Kill a random worker that is part-way through a job, until 50 kills have landed mid-job.
            var midJobKills = 0
            let deadline = Date().addingTimeInterval(240)
            while midJobKills < Self.kills, Date() < deadline {
                let busy = try await GenerationJob.query(on: app.db).filter(\.$status == .running).filter(\.$progressDone >= 1).all()
                let candidates = running.filter { worker in busy.contains { $0.leaseOwner?.contains("-\(worker.pid)-") == true } }
                guard let victim = candidates.randomElement() else {
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...150)))
                await victim.stop(SIGKILL)
                // Counted only if the dead worker still held a job: that job now waits for the reaper.
                let orphaned = try await GenerationJob.query(on: app.db).filter(\.$status == .running).all()
                    .contains { $0.leaseOwner?.contains("-\(victim.pid)-") == true }
                if orphaned { midJobKills += 1 }
                running.removeAll { $0 === victim }
                running.append(try launch())
            }
            #expect(midJobKills == Self.kills, "only \(midJobKills) kills landed mid-job before the deadline")

            let finished = try await eventually(180) {
                try await GenerationJob.query(on: app.db).filter(\.$status != .succeeded).count() == 0
            }
            // SIGTERM: the survivors stop claiming and exit cleanly.
            for worker in running {
                await worker.stop(SIGTERM)
                #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 0, "worker \(worker.pid) did not exit cleanly")
            }
            if !finished {
                for worker in running { print(((try? String(contentsOfFile: worker.log, encoding: .utf8)) ?? "").suffix(2000)) }
            }
            #expect(finished, "every job succeeds in the end")

            let jobs = try await GenerationJob.query(on: app.db).all()
            #expect(jobs.count == Self.jobs && jobs.allSatisfy { $0.status == .succeeded && $0.leaseToken == nil })
            #expect(jobs.allSatisfy { $0.progressDone == Self.headshotsPerJob })
            for job in jobs {
                let succeeded = try await AuditEvent.query(on: app.db).filter(\.$subjectID == job.id).filter(\.$toState == "succeeded").count()
                #expect(succeeded == 1, "job \(job.id!) succeeded \(succeeded) times")
                let sequences = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == job.id).all(\.$sequence)
                #expect(sequences.sorted() == Array(0..<Self.headshotsPerJob), "job \(job.id!) has outputs \(sequences.sorted())")
                let blobs = try await app.blobStore.list(prefix: JobOutputs.prefix(order: job.$order.id))
                #expect(blobs.count == Self.headshotsPerJob, "order \(job.$order.id) has \(blobs.count) headshot blobs")
            }
            let orders = try await Order.query(on: app.db).all()
            #expect(orders.allSatisfy { $0.status == .completed })
            let reaped = try await AuditEvent.query(on: app.db).filter(\.$action == "job.status_changed").filter(\.$detail == "lease expired").count()
            #expect(reaped == midJobKills, "each killed attempt was returned to the queue by the reaper once")
            let retried = jobs.filter { $0.attempts > 1 }.count
            #expect(retried > 0 && jobs.map(\.attempts).reduce(0, +) == Self.jobs + reaped)
            print("crash test: \(midJobKills) workers killed mid-job, \(started) started, \(reaped) attempts reaped, \(retried) jobs resumed")
        }
    }
}
