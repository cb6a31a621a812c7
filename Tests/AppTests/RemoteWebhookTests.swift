import Fluent
import Foundation
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// `/webhooks/remote` through the server: a signed prediction webhook moves its record forward once;
/// duplicates, reordered (late) deliveries, forged, stale and replayed calls change nothing, and
/// unverified ones write no row. Without a secret configured there is no such endpoint.
@Suite("Remote webhooks") struct RemoteWebhookTests {
    static let secret = "whsec_" + Data("the fake provider's webhook key".utf8).base64EncodedString()

    static func send(_ app: Application, id: String, body: String, at stamp: Int, secret: String = secret) async throws -> TestingHTTPResponse {
        let bytes = Array(body.utf8)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: StandardWebhook.idHeader, value: id)
        headers.add(name: StandardWebhook.timestampHeader, value: String(stamp))
        headers.add(name: StandardWebhook.signatureHeader, value: try StandardWebhook.signature(id: id, timestamp: stamp, body: bytes, secret: secret))
        return try await app.testing().sendRequest(.POST, "/webhooks/remote", headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func prediction(_ id: String, _ status: String, output: String = "null") -> String {
        #"{"id":"\#(id)","status":"\#(status)","output":\#(output),"error":null,"metrics":{"predict_time":3.5},"urls":{"get":"https://p.example/v1/predictions/\#(id)","cancel":"https://p.example/v1/predictions/\#(id)/cancel"}}"#
    }

    @Test func aSignedWebhookMovesItsPredictionOnceAndNothingElseChangesAnything() async throws {
        try await withTestApp(customize: { $0.remoteWebhookSecret = Self.secret }) { app, clock in
            let user = try await Fixtures.user(app)
            let job = try await Fixtures.queuedJob(app, user: user, runAt: clock.now())
            let started = try Prediction(json: Array(Self.prediction("pred1", "starting").utf8))
            let record = RemotePrediction(jobID: try job.requireID(), orderID: job.$order.id, prediction: started, preset: "corporate-grey", indices: [0, 5])
            try await record.create(on: app.db)
            let now = Int(clock.now().timeIntervalSince1970)
            func stored() async throws -> RemotePrediction? { try await RemotePrediction.query(on: app.db).filter(\.$providerID == "pred1").first() }

            // Forged (another key), stale (6 minutes old) and unsigned calls: 400, counted, no row.
            let done = Self.prediction("pred1", "succeeded", output: #"["https://p.example/out/1.jpg","https://p.example/out/2.jpg"]"#)
            let forged = try await Self.send(app, id: "msg_forged", body: done, at: now, secret: "whsec_" + Data("guess".utf8).base64EncodedString())
            #expect(forged.status == .badRequest)
            #expect(try await Self.send(app, id: "msg_stale", body: done, at: now - 360).status == .badRequest)
            #expect(try await app.testing().sendRequest(.POST, "/webhooks/remote", body: ByteBuffer(string: done)).status == .badRequest)
            #expect(try await RemoteWebhookDelivery.query(on: app.db).count() == 0)
            #expect(try await stored()?.status == "starting")
            #expect(app.appMetrics.exposition().contains(#"payment_webhooks_rejected_total{gateway="remote"} 3"#))

            // The real one: succeeded, with its outputs and billed seconds.
            let first = try await Self.send(app, id: "msg_1", body: done, at: now)
            #expect(first.status == .ok && first.body.string.contains("updated"))
            let after = try #require(try await stored())
            #expect(after.status == "succeeded" && after.predictTime == 3.5 && after.completedAt != nil)
            #expect(after.outputs?.contains("out/2.jpg") == true)

            // The same delivery again (a retry), and a late "processing" sent before it: nothing changes.
            let again = try await Self.send(app, id: "msg_1", body: done, at: now)
            #expect(again.status == .ok && again.body.string.contains("duplicate"))
            let late = try await Self.send(app, id: "msg_0", body: Self.prediction("pred1", "processing"), at: now)
            #expect(late.status == .ok && late.body.string.contains("unchanged"))
            #expect(try await stored()?.status == "succeeded")
            // A replayed old delivery with a fresh id but an old timestamp is stale.
            #expect(try await Self.send(app, id: "msg_replay", body: done, at: now - 3_600).status == .badRequest)
            // A prediction we never asked for is acknowledged and ignored.
            #expect(try await Self.send(app, id: "msg_x", body: Self.prediction("other", "succeeded"), at: now).body.string.contains("unknown"))
            #expect(try await RemoteWebhookDelivery.query(on: app.db).count() == 3)
        }
    }

    @Test func withoutASecretConfiguredThereIsNoRemoteWebhookEndpoint() async throws {
        try await withTestApp { app, clock in
            let response = try await Self.send(app, id: "msg_1", body: Self.prediction("pred1", "succeeded"), at: Int(clock.now().timeIntervalSince1970))
            #expect(response.status == .notFound)
        }
    }
}
