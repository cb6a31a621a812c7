import Fluent
import FluentSQL
import Vapor

/// Health, readiness and metrics for whoever runs the service.
struct OpsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("readyz", use: ready)
        routes.get("metrics", use: metrics)
    }

    struct Check: Content {
        let status: String
        let checks: [String: String]
    }

    /// The process is alive and serving.
    @Sendable func health(req: Request) async throws -> Check {
        Check(status: "ok", checks: [:])
    }

    /// Able to do real work: the database answers and the data directory takes writes.
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
        let directory = req.config.dataDirectory
        let probe = directory + "/.ready-\(UUID().uuidString)"
        let writable = try await req.application.threadPool.runIfActive {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: probe) }
            return FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8))
        }
        checks["storage"] = writable ? "ok" : "not writable"
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let response = Response(status: ready ? .ok : .serviceUnavailable)
        try response.content.encode(Check(status: ready ? "ok" : "unavailable", checks: checks))
        return response
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: req.application.appMetrics.exposition()))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }
}
