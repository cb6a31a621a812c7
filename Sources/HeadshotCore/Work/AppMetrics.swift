import Foundation
import Prometheus

/// The Prometheus registry of one application (not the process-global MetricsSystem, which can be
/// bootstrapped only once and would tie test applications together).
package final class AppMetrics: Sendable {
    package init() {}
    package let registry = PrometheusCollectorRegistry()

    package static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    package func recordRequest(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency by route"),
            labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Generation jobs take seconds to many minutes; waits can be longer when the queue is deep.
    package static let jobBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
        .seconds(600), .seconds(1200), .seconds(1800), .seconds(3600),
    ]

    /// Time from a job becoming due to a worker claiming it.
    package func recordJobWait(_ seconds: TimeInterval) {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "generation_job_wait", unitName: "seconds", helpText: "Time generation jobs waited in the queue before a worker claimed them"),
            buckets: Self.jobBuckets
        ).record(.milliseconds(Int64(max(seconds, 0) * 1000)))
    }

    /// Time from claim to the attempt's end, by outcome (succeeded, retried, failed).
    package func recordJobDuration(_ duration: Duration, outcome: String) {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "generation_job_duration", unitName: "seconds", helpText: "Time generation attempts ran, by outcome"),
            labels: [("outcome", outcome)],
            buckets: Self.jobBuckets
        ).record(duration)
    }

    /// A failed attempt, by reason code (the generator's code, internal, lease_expired, lease_lost).
    package func recordJobFailure(code: String, count: Int = 1) {
        registry.makeCounter(
            descriptor: .init(metricName: "generation_job_failures", unitName: "total", helpText: "Failed generation attempts by reason"),
            labels: [("reason", code)]
        ).increment(by: Int64(count))
    }

    /// Jobs queued and running per priority, read from the database when metrics are scraped (so
    /// it counts every worker's jobs, not this process's).
    package func setQueueDepth(priority: Int, state: String, count: Int) {
        registry.makeGauge(
            descriptor: .init(metricName: "generation_queue_depth", helpText: "Generation jobs by priority and state (queued, running)"),
            labels: [("priority", String(priority)), ("state", state)]
        ).set(Int64(count))
    }

    /// A webhook whose signature did not verify: counted, never written to the database (anyone can
    /// send them, and each would otherwise grow a table).
    package func recordRejectedWebhook(gateway: String) {
        registry.makeCounter(
            descriptor: .init(metricName: "payment_webhooks_rejected", unitName: "total", helpText: "Webhooks refused because their signature did not verify"),
            labels: [("gateway", gateway)]
        ).increment()
    }

    /// What the remote generator did with predictions: created, polled (read because no webhook
    /// came in time), failed, breaker_open.
    package func recordRemotePrediction(outcome: String) {
        registry.makeCounter(
            descriptor: .init(metricName: "remote_predictions", unitName: "total", helpText: "Remote predictions by what happened to them"),
            labels: [("outcome", outcome)]
        ).increment()
    }

    /// A remote output not delivered, by reason (download, unreadable, quality, identity, twin); it is asked for again.
    package func recordRemoteDiscard(reason: String) {
        registry.makeCounter(
            descriptor: .init(metricName: "remote_outputs_discarded", unitName: "total", helpText: "Remote model outputs discarded before delivery, by reason"),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Live-status streams open in this process.
    package func setLiveStreams(_ count: Int) {
        registry.makeGauge(descriptor: .init(metricName: "live_status_streams", helpText: "Live order-status streams open in this process"))
            .set(Int64(count))
    }

    /// Blobs the last remnant scan found that no live row references (should be 0).
    package func setStorageOrphans(_ count: Int) {
        registry.makeGauge(descriptor: .init(metricName: "storage_orphans", helpText: "Blobs no live row references, from the daily remnant scan"))
            .set(Int64(count))
    }

    /// This week's KPI figures so far (rates 0–1, times in seconds), read from the database when
    /// metrics are scraped; a figure with nothing counted yet is absent.
    package func setKPI(_ name: String, value: Double?) {
        let gauge = registry.makeGauge(descriptor: .init(metricName: "kpi_" + name, helpText: "This week's (Monday, UTC) KPI figure so far"))
        gauge.set(value ?? .nan)
    }

    package func exposition() -> String { registry.emitToString() }
}
