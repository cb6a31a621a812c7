import App
import HeadshotCore
import Fluent
import Foundation
import Vapor
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `headshot-bench packages [--rounds N]`: Basic (40 in 3 styles) and Professional (100 in 5) made
/// the way a customer makes them, against a running server on SQLite with the studio renderer: the
/// 8 person-a photos uploaded through the API, the package bought through the API and paid on the
/// sandbox's hosted page with 4242…, the signed webhook delivered over HTTP, one queue worker as
/// `serve` runs it, and the gallery's listing read at the end. Prints paid → completed per package
/// (targets: Professional ≤ 20 s, Basic ≤ 10 s on 2 cores) and the renderer's discards.
struct PackageBench {
    let fixtures: String
    let rounds: Int

    static let packages: [(code: String, count: Int, styles: [String], target: String)] = [
        ("basic", 40, ["corporate-grey", "executive-navy", "bright-white"], "≤ 10 s"),
        ("professional", 100, ["corporate-grey", "executive-navy", "bright-white", "modern-office", "monochrome-classic"], "≤ 20 s"),
    ]

    func run() async throws {
        let photos = try FileManager.default.contentsOfDirectory(atPath: fixtures + "/faces/person-a").sorted()
            .map { try Data(contentsOf: URL(fileURLWithPath: fixtures + "/faces/person-a/" + $0)) }
        var rows: [[String]] = []
        for package in Self.packages {
            var seconds: [Double] = [], attempts: [Int] = []
            for _ in 0..<rounds {
                let result = try await measure(package: package.code, count: package.count, styles: package.styles, photos: photos)
                seconds.append(result.seconds)
                attempts.append(result.attempts)
            }
            rows.append([package.code, "\(package.count) in \(package.styles.count)", "\(rounds)",
                         String(format: "%.1f", percentile(seconds, 0.5)), String(format: "%.1f", seconds.max() ?? 0),
                         String(format: "%.0f", 1000 * percentile(seconds, 0.5) / Double(package.count)),
                         attempts.allSatisfy { $0 == 1 } ? "1" : attempts.map(String.init).joined(separator: ","), package.target])
        }
        print("\nPackages through the server (SQLite, studio renderer, one worker on \(System.coreCount) cores): paid → completed\n")
        printTextTable(["package", "headshots", "orders", "median s", "max s", "ms / headshot", "attempts", "target"], rows)
    }

    struct Result {
        let seconds: Double
        let attempts: Int
    }

    private func measure(package: String, count: Int, styles: [String], photos: [Data]) async throws -> Result {
        let directory = NSTemporaryDirectory() + "headshot-package-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = Int.random(in: 20_000...60_000)
        let site = "http://127.0.0.1:\(port)"
        return try await BenchmarkApp.with(database: .sqlite(path: directory + "/bench.sqlite"), dataDirectory: directory,
                                           adjust: { config in
                                               config.baseURL = URL(string: site)!
                                               config.generator = .studio
                                               // As `serve` runs: the sandbox's page sends the paid webhook at once.
                                               config.runWorkers = true
                                               config.modelsDirectory = ProcessInfo.processInfo.environment["MODELS_DIR"] ?? "models"
                                           }) { app, services, user in
            let password = "benchmark-password-\(UUID().uuidString.prefix(8))"
            user.passwordHash = try await services.passwordHashing.hash(password)
            user.emailVerifiedAt = Date()
            try await user.save(on: app.db)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            guard let generator = services.generator else { throw BenchmarkFailure("no generator configured") }
            let worker = QueueWorker(services: services, generator: generator, logger: app.logger)
            let working = Task { try await worker.run() }
            defer { working.cancel() }

            let token = try await BenchHTTP.json("POST", site + "/api/v1/auth/token", ["email": user.email, "password": password])["token"] as? String ?? ""
            let order = try await BenchHTTP.json("POST", site + "/api/v1/orders", nil, token: token)["id"] as? String ?? ""
            for (number, photo) in photos.enumerated() {
                var request = URLRequest(url: URL(string: site + "/api/v1/orders/\(order)/photos")!)
                request.httpMethod = "POST"
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.setValue("image/jpeg", forHTTPHeaderField: "Content-Type")
                request.setValue("person-a-\(number).jpg", forHTTPHeaderField: "X-Filename")
                let (_, response) = try await URLSession.shared.upload(for: request, from: photo)
                guard (response as? HTTPURLResponse)?.statusCode == 201 else { throw BenchmarkFailure("upload answered \(response)") }
            }
            let started = try await BenchHTTP.json("POST", site + "/api/v1/orders/\(order)/checkout", nil, token: token,
                                                   rawBody: try JSONSerialization.data(withJSONObject: ["package": package, "presets": styles, "consent": true]))
            guard let url = started["checkout_url"] as? String, let path = URLComponents(string: url)?.path,
                  started["headshot_count"] as? Int == count else {
                throw BenchmarkFailure("checkout refused: \(started)")
            }
            // The hosted page, as a browser pays on it: its form's token, then the test card.
            let (page, cookies) = try await BenchHTTP.page(site + path)
            guard let csrf = page.firstMatch(of: #/name="_csrf" value="([^"]+)"/#)?.1 else { throw BenchmarkFailure("no form on the checkout page") }
            let paidAt = ContinuousClock.now
            let paid = try await BenchHTTP.form(site + path, ["card_number": "4242 4242 4242 4242", "_csrf": String(csrf)], cookies: cookies)
            guard paid == 200 else { throw BenchmarkFailure("the sandbox page answered \(paid) to the test card") }
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline {
                let status = try await BenchHTTP.json("GET", site + "/api/v1/orders/\(order)/status", nil, token: token)["status"] as? String
                if status == "completed" { break }
                if status == "failed" { throw BenchmarkFailure("the order failed") }
                try await Task.sleep(for: .milliseconds(100))
            }
            guard ContinuousClock.now < deadline else { throw BenchmarkFailure("the order was not completed within 5 minutes of payment") }
            let seconds = milliseconds(ContinuousClock.now - paidAt) / 1000
            let listing = try await BenchHTTP.json("GET", site + "/api/v1/orders/\(order)/headshots", nil, token: token)
            guard (listing["headshots"] as? [Any])?.count == count else { throw BenchmarkFailure("the gallery lists \(listing["headshots"] ?? "nothing")") }
            let attempts = try await GenerationJob.query(on: app.db).filter(\.$order.$id == UUID(uuidString: order)!).first()?.attempts ?? 0
            return Result(seconds: seconds, attempts: attempts)
        }
    }
}
