import FluentKit
import Foundation
import SQLKit

extension JobQueue {
    /// The jobs queued and running at each package priority, every priority listed (zero included, so a
    /// drained queue reads 0), for the queue-depth gauges.
    package static func depth(on db: any Database) async throws -> [Int: [String: Int]] {
        var depth: [Int: [String: Int]] = [:]
        for priority in try await Package.query(on: db).all(\.$queuePriority) { depth[priority] = [JobStatus.queued.rawValue: 0, JobStatus.running.rawValue: 0] }
        let rows = try await db.sql().select()
            .column("priority").column("status").column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("jobs")))
            .from(GenerationJob.schema)
            .where("status", .in, [JobStatus.queued.rawValue, JobStatus.running.rawValue])
            .groupBy("priority").groupBy("status")
            .all()
        for row in rows {
            let priority = try row.decode(column: "priority", as: Int.self)
            depth[priority, default: [:]][try row.decode(column: "status", as: String.self)] = try row.decode(column: "jobs", as: Int.self)
        }
        return depth
    }
}
