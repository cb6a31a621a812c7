import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// A predictions provider on loopback that speaks Replicate's wire format (and Cog's synchronous
/// `POST /predictions`): predictions start, process for a number of reads, then succeed with output
/// URLs it serves itself (or data URIs); it can be told to answer with errors first. Given a
/// webhook secret, it sends each prediction's completion to the `webhook` its creator named, signed
/// as Standard Webhooks, as told: once, twice (the same delivery), reordered (a stale "processing"
/// after it), late, or never.
final class FakePredictions: Sendable {
    enum WebhookMode: Sendable, Equatable { case once, duplicated, reordered, late(Duration), never }

    static let token = "r8_fake_headshot_token"

    struct Call: Sendable {
        let method: String
        let path: String
        let authorization: String?
        let prefer: String?
        let body: String
        let at: Date
    }

    struct State: Sendable {
        var calls: [Call] = []
        /// Answers given before the real ones, in turn: (status, Retry-After).
        var failures: [(Int, String?)] = []
        /// Reads of a prediction before it has succeeded.
        var readsUntilDone = 1
        var reads: [String: Int] = [:]
        var canceled: Set<String> = []
        /// Output files that answer 404 (expired).
        var expired: Set<String> = []
        /// With a time set, predictions succeed that long after they are created (whoever reads them);
        /// without, after `readsUntilDone` reads.
        var completeAfter: Duration?
        var webhooks: WebhookMode = .once
        /// Images every prediction's outputs are drawn from, in turn; `firstImages` go out first.
        var images: [[UInt8]] = []
        var firstImages: [[UInt8]] = []
        var served = 0
        /// Per prediction: its output images, its creation time, and the webhook it asked for.
        var outputs: [String: [[UInt8]]] = [:]
        var created: [String: ContinuousClock.Instant] = [:]
        var webhookURL: [String: String] = [:]
        /// Reference URLs fetched while creating predictions, and what they answered.
        var referenceFetches: [(url: String, status: UInt)] = []
        var webhooksSent = 0
        /// The first created prediction's output with this number answers 404 (expired) when downloaded.
        var expireFirstOutput: Int?
    }

    let app: Application
    let port: Int
    let state = NIOLockedValueBox(State())
    /// The image every prediction outputs unless `images` are set.
    let image: [UInt8]
    /// Signs webhooks (nil: none are sent), with timestamps from `now`.
    let webhookSecret: String?
    let now: @Sendable () -> Date

    var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(image: [UInt8], webhookSecret: String? = nil, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        self.image = image
        self.webhookSecret = webhookSecret
        self.now = now
        app = try await Application.make(.testing)
        app.routes.defaultMaxBodySize = "20mb"
        port = try freeLoopbackPort()
        let state = self.state, image = self.image, port = self.port
        let base = "http://127.0.0.1:\(port)"

        @Sendable func record(_ req: Request) {
            state.withLockedValue {
                $0.calls.append(Call(method: req.method.rawValue, path: req.url.path, authorization: req.headers.first(name: .authorization),
                                     prefer: req.headers.first(name: "Prefer"), body: req.body.string ?? "", at: Date()))
            }
        }
        @Sendable func failure() -> Response? {
            guard let (status, retryAfter) = state.withLockedValue({ $0.failures.isEmpty ? nil : $0.failures.removeFirst() }) else { return nil }
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
            return Response(status: .init(statusCode: status), headers: headers, body: .init(string: #"{"detail":"fake failure \#(status)"}"#))
        }
        @Sendable func prediction(_ id: String, status: String, output: Any? = nil) -> Response {
            var object: [String: Any] = ["id": id, "status": status, "error": NSNull(), "output": output ?? NSNull(), "metrics": [:] as [String: Any],
                                         "urls": ["get": "\(base)/v1/predictions/\(id)", "cancel": "\(base)/v1/predictions/\(id)/cancel"]]
            if status == "succeeded" { object["metrics"] = ["predict_time": 4.25] }
            return Response(status: .created, headers: ["Content-Type": "application/json"],
                            body: .init(data: try! JSONSerialization.data(withJSONObject: object)))
        }
        @Sendable func authorised(_ req: Request) -> Bool { req.headers.first(name: .authorization) == "Bearer \(Self.token)" }
        @Sendable func files(_ id: String) -> [String] {
            let count = state.withLockedValue { $0.outputs[id]?.count ?? 1 }
            return (0..<count).map { "\(base)/files/\(id)-\($0).jpg" }
        }
        @Sendable func isDone(_ id: String, read: Bool) -> Bool {
            state.withLockedValue { s in
                if read { s.reads[id, default: 0] += 1 }
                if let after = s.completeAfter, let created = s.created[id] { return ContinuousClock.now - created >= after }
                return s.reads[id, default: 0] >= s.readsUntilDone
            }
        }
        let fetcher = self
        @Sendable func create(_ req: Request) async -> Response {
            record(req)
            guard authorised(req) else { return Response(status: .unauthorized, body: .init(string: #"{"detail":"Unauthenticated"}"#)) }
            if let failed = failure() { return failed }
            let id = "p" + UUID().uuidString.prefix(8).lowercased()
            let body = (try? JSONSerialization.jsonObject(with: Data(req.body.string?.utf8 ?? "".utf8))) as? [String: Any] ?? [:]
            let input = body["input"] as? [String: Any] ?? [:]
            let count = (input["num_outputs"] as? NSNumber)?.intValue ?? 1
            // The provider fetches the reference photos it was given.
            let urls = input.values.flatMap { value -> [String] in
                if let text = value as? String { return [text] }
                return (value as? [Any])?.compactMap { $0 as? String } ?? []
            }.filter { $0.hasPrefix("http") }
            for url in urls.prefix(1) {
                let status = (try? await HTTPClient.shared.get(url: url).get().status.code) ?? 0
                state.withLockedValue { $0.referenceFetches.append((url, status)) }
            }
            state.withLockedValue { s in
                if let expire = s.expireFirstOutput { s.expired.insert("\(id)-\(expire).jpg"); s.expireFirstOutput = nil }
                var images: [[UInt8]] = []
                for _ in 0..<count {
                    if !s.firstImages.isEmpty { images.append(s.firstImages.removeFirst()); continue }
                    let pool = s.images.isEmpty ? [image] : s.images
                    images.append(pool[s.served % pool.count])
                    s.served += 1
                }
                s.outputs[id] = images
                s.created[id] = ContinuousClock.now
                if let hook = body["webhook"] as? String { s.webhookURL[id] = hook }
            }
            if let secret = fetcher.webhookSecret, body["webhook"] is String { fetcher.scheduleWebhooks(id, secret: secret, files: files(id)) }
            return prediction(id, status: "starting")
        }
        app.post("v1", "predictions", use: create)
        app.post("v1", "models", ":owner", ":name", "predictions", use: create)
        app.post("v1", "deployments", ":owner", ":name", "predictions", use: create)
        app.get("v1", "predictions", ":id") { req -> Response in
            record(req)
            guard authorised(req) else { return Response(status: .unauthorized) }
            if let failed = failure() { return failed }
            let id = req.parameters.get("id") ?? ""
            let canceled = state.withLockedValue { $0.canceled.contains(id) }
            if canceled { return prediction(id, status: "canceled") }
            return isDone(id, read: true) ? prediction(id, status: "succeeded", output: files(id)) : prediction(id, status: "processing")
        }
        app.post("v1", "predictions", ":id", "cancel") { req -> Response in
            record(req)
            let id = req.parameters.get("id") ?? ""
            state.withLockedValue { _ = $0.canceled.insert(id) }
            return prediction(id, status: "canceled")
        }
        app.get("files", ":name") { req -> Response in
            record(req)
            let name = req.parameters.get("name") ?? ""
            if state.withLockedValue({ $0.expired.contains(name) }) { return Response(status: .notFound) }
            let parts = name.dropLast(4).split(separator: "-")
            let bytes = state.withLockedValue { s -> [UInt8] in
                guard parts.count == 2, let n = Int(parts[1]), let list = s.outputs[String(parts[0])], n < list.count else { return image }
                return list[n]
            }
            return Response(status: .ok, headers: ["Content-Type": "image/jpeg"], body: .init(data: Data(bytes)))
        }
        // Redirects, as a provider's (or a hostile) file URL may answer: to the same origin, or to another one.
        app.get("moved", ":name") { req -> Response in
            record(req)
            return Response(status: .found, headers: ["Location": "/files/" + (req.parameters.get("name") ?? "")])
        }
        app.get("elsewhere", ":name") { [port] req -> Response in
            record(req)
            return Response(status: .found, headers: ["Location": "http://localhost:\(port)/files/" + (req.parameters.get("name") ?? "")])
        }
        // Cog: synchronous, no token, output inline.
        app.post("predictions") { req -> Response in
            record(req)
            let object: [String: Any] = ["status": "succeeded", "output": ["data:image/jpeg;base64," + Data(image).base64EncodedString()]]
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try JSONSerialization.data(withJSONObject: object)))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
    }

    var calls: [Call] { state.withLockedValue { $0.calls } }
    var creates: [Call] { calls.filter { $0.method == "POST" && $0.path.hasSuffix("/predictions") } }
    var cancels: [Call] { calls.filter { $0.path.hasSuffix("/cancel") } }

    /// Sends the completion webhook(s) of `id` once it is done, as `webhooks` says.
    private func scheduleWebhooks(_ id: String, secret: String, files: [String]) {
        let (mode, after, url) = state.withLockedValue { ($0.webhooks, $0.completeAfter ?? .milliseconds(100), $0.webhookURL[id] ?? "") }
        let base = self.base.absoluteString
        Task {
            func body(_ status: String) -> [UInt8] {
                var object: [String: Any] = ["id": id, "status": status, "error": NSNull(), "output": status == "succeeded" ? files : NSNull(),
                                             "urls": ["get": "\(base)/v1/predictions/\(id)", "cancel": "\(base)/v1/predictions/\(id)/cancel"]]
                object["metrics"] = status == "succeeded" ? ["predict_time": 4.25] : [:] as [String: Any]
                return Array(try! JSONSerialization.data(withJSONObject: object))
            }
            func send(_ webhookID: String, _ bytes: [UInt8]) async {
                let stamp = Int(self.now().timeIntervalSince1970)
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: StandardWebhook.idHeader, value: webhookID)
                request.headers.add(name: StandardWebhook.timestampHeader, value: String(stamp))
                request.headers.add(name: StandardWebhook.signatureHeader,
                                    value: (try? StandardWebhook.signature(id: webhookID, timestamp: stamp, body: bytes, secret: secret)) ?? "")
                request.body = .bytes(ByteBuffer(bytes: bytes))
                _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(10))
                self.state.withLockedValue { $0.webhooksSent += 1 }
            }
            try? await Task.sleep(for: after)
            guard !self.state.withLockedValue({ $0.canceled.contains(id) }) else { return }
            switch mode {
            case .never: return
            case .once: await send("msg_\(id)", body("succeeded"))
            case .duplicated:
                await send("msg_\(id)", body("succeeded"))
                await send("msg_\(id)", body("succeeded"))
            case .reordered:
                await send("msg_\(id)_done", body("succeeded"))
                await send("msg_\(id)_start", body("processing"))
            case .late(let delay):
                try? await Task.sleep(for: delay)
                await send("msg_\(id)", body("succeeded"))
            }
        }
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    static func with(image: [UInt8], webhookSecret: String? = nil, now: @escaping @Sendable () -> Date = { Date() },
                     _ body: (FakePredictions) async throws -> Void) async throws {
        let fake = try await FakePredictions(image: image, webhookSecret: webhookSecret, now: now)
        do { try await body(fake) } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }
}
