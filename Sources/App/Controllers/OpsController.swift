import Fluent
import FluentSQL
import Vapor

/// Health, readiness and metrics for whoever runs the service.
struct OpsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.health, use: health)
        routes.get(SiteURL.ready, use: ready)
        routes.get(SiteURL.metrics, use: metrics)
    }

    struct Check: Content {
        let status: String
        let checks: [String: String]
    }

    /// The process is alive and serving.
    @Sendable func health(req: Request) async throws -> Check {
        Check(status: "ok", checks: [:])
    }

    /// Able to do real work: the database answers, the data directory takes writes, and (in a process
    /// that loads it at boot) the imaging engine has its models loaded.
    @Sendable func ready(req: Request) async throws -> Response {
        var checks: [String: String] = [:]
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            _ = try await sql.raw("SELECT 1").all()
            checks["database"] = "ok"
        } catch {
            req.logger.error("readiness: database unreachable: \(error)")
            checks["database"] = "unreachable"
        }
        let directory = services.config.dataDirectory
        let probe = directory + "/.ready-\(UUID().uuidString)"
        let writable = try await services.fileThreads.runIfActive {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: probe) }
            return FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8))
        }
        checks["storage"] = writable ? "ok" : "not writable"
        if let imaging = services.imaging.isReady { checks["imaging"] = imaging ? "ok" : "loading" }
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let response = Response(status: ready ? .ok : .serviceUnavailable)
        try response.content.encode(Check(status: ready ? "ok" : "unavailable", checks: checks))
        return response
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        try await Self.measureQueue(on: req.db, into: services.metrics)
        let response = Response(status: .ok, body: .init(string: services.metrics.exposition()))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }

    /// Sets the queue-depth gauges for every package priority, zero included, so a drained queue reads 0.
    static func measureQueue(on db: any Database, into metrics: AppMetrics) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        var depth: [Int: [String: Int]] = [:]
        for priority in try await Package.query(on: db).all(\.$queuePriority) { depth[priority] = ["queued": 0, "running": 0] }
        for row in try await sql.raw("""
            SELECT priority, status, COUNT(*) AS jobs FROM generation_jobs WHERE status IN ('queued', 'running') GROUP BY priority, status
            """).all() {
            let priority = try row.decode(column: "priority", as: Int.self)
            depth[priority, default: [:]][try row.decode(column: "status", as: String.self)] = try row.decode(column: "jobs", as: Int.self)
        }
        for (priority, states) in depth {
            for (state, count) in states { metrics.setQueueDepth(priority: priority, state: state, count: count) }
        }
    }
}
