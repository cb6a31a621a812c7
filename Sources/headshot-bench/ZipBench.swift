import App
import HeadshotCore
import Foundation

/// `headshot-bench zip [--count N]`: streams an N-headshot ZIP (default 100) over HTTP and reports
/// throughput and the growth of resident memory while it streams.
struct ZipBench {
    let fixtures: String
    let count: Int

    func run() async throws {
        let directory = NSTemporaryDirectory() + "headshot-zip-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let photos = files(in: fixtures + "/faces/person-a").map { try! read($0) }
        let result = try await ZipBenchmark.run(photos: photos, count: count, dataDirectory: directory)
        print("\nZIP bundle streamed over HTTP (encrypted local storage, \(result.files) headshots, release)\n")
        printTextTable(["files", "MB", "seconds", "MB/s", "RSS before MB", "peak RSS MB", "growth MB", "target"],
                       [["\(result.files)", String(format: "%.0f", Double(result.bytes) / 1_048_576), String(format: "%.2f", result.seconds),
                         String(format: "%.0f", result.megabytesPerSecond), String(format: "%.0f", result.rssBeforeMB),
                         String(format: "%.0f", result.peakRSSMB), String(format: "%.1f", result.growthMB), "growth < 50 MB"]])
    }
}
