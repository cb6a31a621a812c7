import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor
@testable import App

/// A predictions provider on loopback that speaks Replicate's wire format (and Cog's synchronous
/// `POST /predictions`): predictions start, process for a number of reads, then succeed with output
/// URLs it serves itself (or data URIs); it can be told to answer with errors first.
final class FakePredictions: Sendable {
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
    }

    let app: Application
    let port: Int
    let state = NIOLockedValueBox(State())
    /// The image every prediction outputs.
    let image: [UInt8]

    var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(image: [UInt8]) async throws {
        self.image = image
        app = try await Application.make(.testing)
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
        @Sendable func create(_ req: Request) -> Response {
            record(req)
            guard authorised(req) else { return Response(status: .unauthorized, body: .init(string: #"{"detail":"Unauthenticated"}"#)) }
            if let failed = failure() { return failed }
            return prediction("p" + UUID().uuidString.prefix(8).lowercased(), status: "starting")
        }
        app.post("v1", "predictions", use: create)
        app.post("v1", "models", ":owner", ":name", "predictions", use: create)
        app.post("v1", "deployments", ":owner", ":name", "predictions", use: create)
        app.get("v1", "predictions", ":id") { req -> Response in
            record(req)
            guard authorised(req) else { return Response(status: .unauthorized) }
            if let failed = failure() { return failed }
            let id = req.parameters.get("id") ?? ""
            let (reads, canceled, needed) = state.withLockedValue { s -> (Int, Bool, Int) in
                s.reads[id, default: 0] += 1
                return (s.reads[id]!, s.canceled.contains(id), s.readsUntilDone)
            }
            if canceled { return prediction(id, status: "canceled") }
            return reads >= needed ? prediction(id, status: "succeeded", output: ["\(base)/files/\(id)-0.jpg"]) : prediction(id, status: "processing")
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
            return Response(status: .ok, headers: ["Content-Type": "image/jpeg"], body: .init(data: Data(image)))
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

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    static func with(image: [UInt8], _ body: (FakePredictions) async throws -> Void) async throws {
        let fake = try await FakePredictions(image: image)
        do { try await body(fake) } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }
}
