import App
import HeadshotCore
import Foundation

/// `headshot-bench queue [--jobs N] [--postgres URL]`: claim-and-complete throughput of no-op jobs
/// with 1, 4 and 16 concurrent workers, on SQLite and (when a URL is given) PostgreSQL, with every
/// execution counted so a job run twice shows as a duplicate.
struct QueueBench {
    let jobs: Int
    let postgresURL: String?

    func run() async throws {
        let directory = NSTemporaryDirectory() + "headshot-queue-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var databases: [(String, AppConfig.Database)] = [("SQLite", .sqlite(path: directory + "/bench.sqlite"))]
        if let postgresURL { databases.append(("PostgreSQL", .postgres(url: postgresURL))) }
        var rows: [[String]] = []
        for (name, database) in databases {
            for result in try await QueueBenchmark.run(database: database, dataDirectory: directory, jobs: jobs, workers: [1, 4, 16]) {
                rows.append([name, "\(result.workers)", "\(result.jobs)", String(format: "%.2f", result.seconds),
                             String(format: "%.0f", result.jobsPerSecond), "\(result.duplicates)", "\(result.unfinished)",
                             name == "PostgreSQL" ? "≥ 1000 jobs/s, 0 duplicates" : "0 duplicates"])
            }
        }
        print("\nGeneration queue: claim + complete of no-op jobs (real statements, audit events and notifications)\n")
        printTextTable(["database", "workers", "jobs", "seconds", "jobs/s", "duplicates", "unfinished", "target"], rows)
    }
}
