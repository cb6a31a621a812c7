import Fluent
import FluentSQL
import HeadshotCore
import SiteRoutes
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
        switch await DatabaseLocation.answers(req.db) {
        case .success: checks["database"] = "ok"
        case .failure(let error):
            req.logger.error("readiness: database unreachable: \(error)")
            checks["database"] = "unreachable"
        }
        // Asks the kernel whether we may write, without writing: a probe polled every few seconds must
        // not churn the disk (or wear it) with a file per call.
        let directory = services.config.dataDirectory
        let writable = try await services.fileThreads.runIfActive {
            if access(directory, F_OK) != 0 { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            return access(directory, W_OK) == 0
        }
        checks["storage"] = writable ? "ok" : "not writable"
        if let imaging = services.imaging.isReady { checks["imaging"] = imaging ? "ok" : "loading" }
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let response = Response(status: ready ? .ok : .serviceUnavailable)
        try response.content.encode(Check(status: ready ? "ok" : "unavailable", checks: checks))
        return response
    }

    /// With `METRICS_TOKEN` set, only `Authorization: Bearer <token>`; without it, any client outside
    /// production and only this machine's own clients (loopback) in production. Others get 404, as if
    /// there were nothing here.
    @Sendable func metrics(req: Request) async throws -> Response {
        if let token = services.config.metricsToken {
            guard let presented = req.headers.bearerAuthorization?.token,
                  Array(presented.utf8).isConstantTimeEqual(to: Array(token.utf8)) else {
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": #"Bearer realm="metrics""#], reason: "The metrics need the bearer token the operator configured (METRICS_TOKEN).")
            }
        } else if services.config.isProduction, !req.isFromLoopback {
            throw Failure.noSuchPage
        }
        try await Self.measureQueue(on: req.db, into: services.metrics)
        let now = services.clock.now()
        let week = try await KPIs(db: req.db).rows(from: KPIs.weekStart(now), to: now.addingTimeInterval(1)).last { $0.package == KPIs.all }
        for figure in KPIs.Figure.allCases { services.metrics.setKPI(figure.rawValue, value: week?.values[figure]) }
        let response = Response(status: .ok, body: .init(string: services.metrics.exposition()))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }

    /// Sets the queue-depth gauges for every package priority, zero included, so a drained queue reads 0.
    static func measureQueue(on db: any Database, into metrics: AppMetrics) async throws {
        let depth = try await JobQueue.depth(on: db)
        for (priority, states) in depth {
            for (state, count) in states { metrics.setQueueDepth(priority: priority, state: state, count: count) }
        }
    }
}
