import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

@Suite("Operations endpoints") struct OpsTests {
    @Test func healthAndReadinessReportOK() async throws {
        try await withTestApp { app, _ in
            #expect(try await Browser(app).request(.GET, "/healthz").status == .ok)
            let ready = try await Browser(app).request(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains("\"database\":\"ok\"") && ready.body.string.contains("\"storage\":\"ok\""))
        }
    }

    /// `serve` and `worker` load the imaging engine at boot: until its models are loaded and its threads
    /// warm, readiness says so, and the quality gate and the renderer then share that one engine.
    @Test func readinessWaitsForTheImagingEngineLoadedAtBoot() async throws {
        // An engine of its own, loaded as `serve` loads it (not the one the test process shares).
        try await withTestApp(services: { replacements, _ in replacements.imaging = nil }) { app, _ in
            let imaging = app.testServices.imaging
            #expect(!(try await Browser(app).request(.GET, "/readyz").body.string.contains("imaging")),
                    "a process that does not load imaging at boot does not report it")
            imaging.preload(logger: app.logger)
            let loading = try await Browser(app).request(.GET, "/readyz")
            #expect(loading.status == .serviceUnavailable && loading.body.string.contains(#""imaging":"loading""#))
            #expect(await eventually(120) { imaging.isReady == true })
            let ready = try await Browser(app).request(.GET, "/readyz")
            #expect(ready.status == .ok && ready.body.string.contains(#""imaging":"ok""#))
            let engine = try await imaging.engine()
            #expect(try await imaging.engine() === engine, "one engine per process")
            #expect(engine.inspector.threadCount == engine.renderer.threadCount)
        }
    }

    @Test func readinessFailsWhenStorageIsNotWritable() async throws {
        try await withTestApp(customize: { $0.dataDirectory = "/proc/headshot-not-writable" }) { app, _ in
            let ready = try await Browser(app).request(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.string.contains("not writable"))
        }
    }

    @Test func metricsCountRequestsByRoutePattern() async throws {
        try await withTestApp { app, _ in
            let browser = Browser(app)
            try await browser.request(.GET, "/login")
            try await browser.request(.GET, "/login")
            try await browser.request(.DELETE, "/api/v1/me/tokens/\(UUID())")
            let metrics = try await browser.request(.GET, "/metrics")
            #expect(metrics.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            let text = metrics.body.string
            #expect(text.contains(#"http_requests_total{method="GET",route="/login",status="200"} 2"#))
            #expect(text.contains(#"route="/api/v1/me/tokens/:tokenID",status="401""#))
            #expect(text.contains("http_request_duration_seconds_bucket"))
        }
    }

    @Test func metricsReportQueueDepthByPriorityFromTheDatabase() async throws {
        try await withTestApp { app, clock in
            let user = try await Fixtures.user(app)
            for priority in [10, 10, 0] { try await Fixtures.queuedJob(app, user: user, priority: priority, runAt: clock.now()) }
            _ = try await JobQueue(db: app.db).claim(worker: "w", now: clock.now())
            let text = try await Browser(app).request(.GET, "/metrics").body.string
            #expect(text.contains(#"generation_queue_depth{priority="10",state="queued"} 1"#), "\(text)")
            #expect(text.contains(#"generation_queue_depth{priority="10",state="running"} 1"#))
            #expect(text.contains(#"generation_queue_depth{priority="0",state="queued"} 1"#))
            #expect(text.contains(#"generation_queue_depth{priority="0",state="running"} 0"#), "a drained state reads 0, not absent")
        }
    }

    @Test func devOutboxIsNotServedInProduction() async throws {
        try await withTestApp(environment: .production, customize: { $0.baseURL = URL(string: "https://h.example.com")! }) { app, _ in
            let response = try await Browser(app).request(.GET, "/dev/outbox")
            #expect(response.status == .notFound)
        }
    }
}
