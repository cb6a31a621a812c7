import AsyncHTTPClient
import BlobStorage
import Fluent
import Foundation
import NIOCore
import App
import HeadshotCore
import Vapor

/// The ZIP benchmark behind `make bench`: an order of `count` headshots in encrypted local storage,
/// its "all" bundle fetched over real HTTP through a signed link and streamed, and the process's
/// resident memory watched while it streams (the archive must never be assembled in memory).
enum ZipBenchmark {
    struct Result: Sendable {
        let files: Int
        let bytes: Int
        let seconds: Double
        let rssBeforeMB: Double
        let peakRSSMB: Double
        var megabytesPerSecond: Double { Double(bytes) / 1_048_576 / seconds }
        var growthMB: Double { peakRSSMB - rssBeforeMB }
    }

    /// `photos` are cycled as the headshots' bytes (their content does not matter to the archive).
    static func run(photos: [[UInt8]], count: Int, dataDirectory: String) async throws -> Result {
        try await BenchmarkApp.with(database: .sqlite(path: dataDirectory + "/bench.sqlite"), dataDirectory: dataDirectory) { app, services, user in
            let userID = try user.requireID()
            let order = Order(userID: userID, status: .completed)
            try await order.create(on: app.db)
            let orderID = try order.requireID()
            let presets = StylePreset.allCases.map(\.rawValue)
            for index in 0..<count {
                let key = try BlobKey(scope: PhotoKeys.scope(orderID), name: "headshots/bench-\(index).jpg")
                try await services.blobStore.put(key, bytes: photos[index % photos.count], contentType: "image/jpeg")
                try await GeneratedAsset(orderID: orderID, jobID: nil, sequence: index, preset: presets[index % presets.count],
                                         blobKey: key.path, width: 1600, height: 2000).create(on: app.db)
            }
            let plaintext = SecureToken.generate(prefix: APITokens.tokenPrefix)
            try await APIToken(userID: userID, kind: .personal, name: "zip bench", tokenHash: SecureToken.digest(plaintext),
                               tokenPrefix: String(plaintext.prefix(10)), at: Date(), expiresAt: nil).create(on: app.db)

            let port = Int.random(in: 20_000...60_000)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let links = services.downloadLinks
            let path = links.path(for: links.grant(.bundle(order: orderID, selection: .all), user: userID, now: Date()))
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)" + path)
            request.headers.add(name: "Authorization", value: "Bearer \(plaintext)")

            ProcessMemory.resetPeak()
            let before = ProcessMemory.current()
            let started = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
            guard response.status == .ok else { throw BenchmarkFailure("the bundle answered \(response.status)") }
            var received = 0
            for try await chunk in response.body { received += chunk.readableBytes }
            let elapsed = ContinuousClock.now - started
            // The server records the download after its last byte: wait for that row before the app
            // and its database are torn down under it.
            var waited = 0
            while try await DownloadEvent.query(on: app.db).count() == 0, waited < 250 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            return Result(files: count, bytes: received,
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                          rssBeforeMB: before.rss, peakRSSMB: ProcessMemory.current().peak)
        }
    }
}
