import Fluent
import Foundation
import NIOConcurrencyHelpers
import App
import HeadshotCore
import Vapor

/// The queue benchmark behind `make bench`: no-op jobs claimed and completed through the real queue
/// (the same statements, transactions, audit events and notifications as production) by 1, 4 and 16
/// concurrent workers, counting every execution so a job run twice would show as a duplicate.
enum QueueBenchmark {
    struct Result: Sendable {
        let workers: Int
        let jobs: Int
        let seconds: Double
        let executions: Int
        let duplicates: Int
        /// Jobs left in any state but succeeded afterwards (must be 0).
        let unfinished: Int
        var jobsPerSecond: Double { Double(jobs) / seconds }
    }

    /// Runs `jobs` no-op jobs once per entry of `workers`, on a fresh database of the given kind.
    static func run(database: AppConfig.Database, dataDirectory: String, jobs: Int, workers: [Int]) async throws -> [Result] {
        // Enough connections that 16 workers in one process do not queue for one.
        try await BenchmarkApp.with(database: database, dataDirectory: dataDirectory, poolSize: 16) { app, _, user in
            var results: [Result] = []
            for count in workers {
                try await seed(jobs, for: try user.requireID(), on: app.db)
                results.append(try await drain(jobs: jobs, workers: count, on: app.db))
            }
            return results
        }
    }

    private static func seed(_ count: Int, for user: UUID, on db: any Database) async throws {
        let now = Date()
        for offset in stride(from: 0, to: count, by: 500) {
            let orders = (0..<min(500, count - offset)).map { _ in Order(userID: user, status: .queued) }
            for order in orders { order.id = UUID() }
            try await orders.create(on: db)
            try await orders.map { order in
                GenerationJob(orderID: order.id!, kind: "noop", priority: Bool.random() ? 10 : 0, runAt: now, total: 1)
            }.create(on: db)
        }
    }

    private static func drain(jobs: Int, workers: Int, on db: any Database) async throws -> Result {
        let executions = NIOLockedValueBox<[UUID: Int]>([:])
        let queue = JobQueue(db: db)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<workers {
                group.addTask {
                    while let claim = try await queue.claim(worker: "bench-\(number)", now: Date()) {
                        executions.withLockedValue { $0[claim.jobID, default: 0] += 1 }
                        try await queue.complete(claim, now: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let counts = executions.withLockedValue { $0 }
        let unfinished = try await GenerationJob.query(on: db).filter(\.$status != .succeeded).count()
        return Result(workers: workers, jobs: jobs,
                      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      executions: counts.values.reduce(0, +), duplicates: counts.values.reduce(0) { $0 + max($1 - 1, 0) },
                      unfinished: unfinished)
    }
}
