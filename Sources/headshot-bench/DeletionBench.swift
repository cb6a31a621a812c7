import App
import HeadshotCore
import BlobStorage
import Fluent
import Foundation
import Vapor
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `headshot-bench deletion [--postgres URL] [--s3 ENDPOINT]`: a Professional-sized order (20 selfies,
/// 100 headshots) deleted the way a customer does it: `POST /api/v1/deletion-requests` to a running
/// server, then its status polled until completed, while a deletion worker runs as `serve` runs it
/// (a look every second). Measured on SQLite with local encrypted disk, and on PostgreSQL with S3.
struct DeletionBench {
    let postgresURL: String?
    let s3Endpoint: String?
    let fixtures: String

    static let selfies = 20
    static let headshots = 100

    func run() async throws {
        var setups: [(String, AppConfig.Database, AppConfig.Storage)] = []
        let directory = NSTemporaryDirectory() + "headshot-deletion-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        setups.append(("SQLite / local disk", .sqlite(path: directory + "/bench.sqlite"), .local))
        if let postgresURL, let s3Endpoint, let endpoint = URL(string: s3Endpoint) {
            setups.append(("PostgreSQL / S3 (moto)", .postgres(url: postgresURL),
                           .s3(S3Settings(endpoint: endpoint, region: "us-east-1", bucket: "deletion-bench-\(UUID().uuidString.lowercased().prefix(8))",
                                          accessKeyID: "testing", secretAccessKey: "testing"))))
        }
        var rows: [[String]] = []
        for (name, database, storage) in setups {
            let result = try await measure(database: database, storage: storage, dataDirectory: directory + "/" + UUID().uuidString)
            rows.append([name, "\(Self.selfies) + \(Self.headshots)", "\(result.files)", String(format: "%.1f", Double(result.bytes) / 1_048_576),
                         String(format: "%.2f", result.seconds), "≤ 60 s"])
        }
        print("\nDeletion of one order, request → completed (API, worker polling every second as in serve)\n")
        printTextTable(["database / storage", "selfies + headshots", "files", "MB", "seconds", "target"], rows)
    }

    struct Result {
        let seconds: Double
        let files: Int
        let bytes: Int
    }

    private func measure(database: AppConfig.Database, storage: AppConfig.Storage, dataDirectory: String) async throws -> Result {
        try await BenchmarkApp.with(database: database, dataDirectory: dataDirectory, storage: storage) { app, services, user in
            if let s3 = services.configuredStore as? S3BlobStore { try await s3.createBucketIfMissing() }
            let password = "benchmark-password-\(UUID().uuidString.prefix(8))"
            user.passwordHash = try await services.passwordHashing.hash(password)
            user.emailVerifiedAt = Date()
            try await user.save(on: app.db)
            let order = try await seed(for: user, services: services, on: app.db)

            let port = Int.random(in: 20_000...60_000)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let site = "http://127.0.0.1:\(port)"
            let worker = Task {
                while !Task.isCancelled {
                    _ = try? await DeletionWorker(services: services, logger: app.logger).runDue()
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            defer { worker.cancel() }
            let token = try await BenchHTTP.json("POST", site + "/api/v1/auth/token", ["email": user.email, "password": password])["token"] as? String ?? ""

            let started = ContinuousClock.now
            let created = try await BenchHTTP.json("POST", site + "/api/v1/deletion-requests",
                                                   ["scope": "order", "order_id": order.uuidString.lowercased(), "password": password], token: token)
            guard let id = created["id"] as? String, let secret = created["receipt_secret"] as? String, let receipt = created["receipt_id"] as? String else {
                throw BenchError("deletion request refused: \(created)")
            }
            while true {
                let status = try await BenchHTTP.json("GET", site + "/api/v1/deletion-requests/\(id)", nil, token: token)["status"] as? String
                if status == "completed" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let seconds = milliseconds(ContinuousClock.now - started) / 1000
            let proof = try await BenchHTTP.json("GET", site + "/api/v1/deletion-receipts/\(receipt)", nil, headers: ["X-Receipt-Secret": secret])
            let blobs = (proof["blobs"] as? [String: [String: Any]]) ?? [:]
            let bytes = blobs.values.reduce(0) { $0 + (($1["bytes"] as? Int) ?? 0) }
            guard try await services.blobStore.list(prefix: "order-" + order.uuidString.lowercased() + "/").isEmpty else {
                throw BenchError("files left after the deletion completed")
            }
            return Result(seconds: seconds, files: proof["blob_count"] as? Int ?? 0, bytes: bytes)
        }
    }

    /// A completed order as a Professional order leaves it: 20 selfies (photo and two thumbnails
    /// each, from the test fixtures) and 100 stored headshots.
    private func seed(for user: User, services: AppServices, on db: any Database) async throws -> UUID {
        let order = Order(userID: try user.requireID(), status: .completed)
        order.statusChangedAt = Date()
        try await order.create(on: db)
        let orderID = try order.requireID()
        let photos = try files(in: fixtures + "/faces/person-a").filter { $0.hasSuffix(".jpg") }.map(read)
        guard !photos.isEmpty else { throw BenchError("no fixtures in \(fixtures)/faces/person-a") }
        for number in 0..<Self.selfies {
            let id = UUID(), photo = photos[number % photos.count]
            let keys = try PhotoKeys.all(order: orderID, upload: id)
            let upload = UploadAsset(id: id, orderID: orderID, blobKey: keys[0].path, originalFilename: "selfie-\(number).jpg", byteSize: photo.count)
            upload.status = .accepted
            upload.faceDescriptor = "[" + (0..<128).map { _ in String(format: "%.4f", Double.random(in: -0.2...0.2)) }.joined(separator: ",") + "]"
            try await upload.create(on: db)
            for (index, key) in keys.enumerated() {
                try await services.blobStore.put(key, bytes: index == 0 ? photo : Array(photo.prefix(index == 1 ? 20_000 : 120_000)), contentType: "image/jpeg")
            }
        }
        for number in 1...Self.headshots {
            let key = try BlobKey(scope: PhotoKeys.scope(orderID), name: "headshots/bench-\(number).jpg")
            try await services.blobStore.put(key, bytes: photos[number % photos.count], contentType: "image/jpeg")
            try await GeneratedAsset(orderID: orderID, jobID: nil, sequence: number, preset: "corporate-grey", blobKey: key.path,
                                     width: 1024, height: 1280, identityDistance: 0.3, expiresAt: Date().addingTimeInterval(30 * 86_400)).create(on: db)
        }
        return orderID
    }
}
