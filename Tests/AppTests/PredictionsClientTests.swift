import AsyncHTTPClient
import Foundation
import Testing
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The predictions client against the fake provider (Replicate's wire format, and a Cog container's),
/// and Standard Webhooks signatures.
@Suite("Predictions client") struct PredictionsClientTests {
    static func client(_ fake: FakePredictions, token: String? = FakePredictions.token, attempts: Int = 4) -> PredictionsClient {
        var client = PredictionsClient(base: fake.base, token: token, http: HTTPClient.shared)
        client.attempts = attempts
        return client
    }

    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 64) + [0xFF, 0xD9]

    @Test func aPredictionIsCreatedReadUntilItSucceedsAndItsOutputFetchedInTheProvidersFormat() async throws {
        try await FakePredictions.with(image: Self.jpeg) { fake in
            fake.state.withLockedValue { $0.readsUntilDone = 2 }
            let client = Self.client(fake)
            let input: [String: JSONValue] = ["prompt": .string("a studio headshot"), "num_outputs": .number(1), "id_weight": .number(1.2)]
            let started = try await client.create(.model(owner: "acme", name: "pulid"), input: input,
                                                  webhook: URL(string: "https://headshots.example/webhooks/remote")!, wait: 5)
            #expect(started.status == .starting && !started.id.isEmpty && started.getURL?.hasSuffix("/v1/predictions/\(started.id)") == true)
            let create = try #require(fake.calls.first)
            #expect(create.path == "/v1/models/acme/pulid/predictions" && create.authorization == "Bearer \(FakePredictions.token)" && create.prefer == "wait=5")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(create.body.utf8)) as? [String: Any])
            #expect(body["version"] == nil && body["webhook"] as? String == "https://headshots.example/webhooks/remote")
            #expect(body["webhook_events_filter"] as? [String] == ["completed"])
            #expect((body["input"] as? [String: Any])?["num_outputs"] as? Int == 1 && (body["input"] as? [String: Any])?["id_weight"] as? Double == 1.2)

            let first = try await client.get(started)
            #expect(first.status == .processing && !first.status.isFinal)
            let done = try await client.get(first)
            #expect(done.status == .succeeded && done.output.count == 1 && done.predictTime == 4.25)
            #expect(try await client.download(done.output[0]) == Self.jpeg)

            // A version id goes to /v1/predictions with the version in the body.
            _ = try await client.create(.version("5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"), input: [:], webhook: nil)
            let versioned = try #require(fake.calls.last)
            #expect(versioned.path == "/v1/predictions" && versioned.body.contains(#""version":"5c7d5dc6"#) && !versioned.body.contains("webhook"))

            // Cancelling uses urls.cancel; the prediction then reads as canceled.
            try await client.cancel(done)
            #expect(fake.calls.last?.path == "/v1/predictions/\(done.id)/cancel")
            #expect(try await client.get(done).status == .canceled)
        }
    }

    @Test func aRateLimitIsWaitedOutAsRetryAfterSaysAndServerErrorsThatPersistAreReported() async throws {
        try await FakePredictions.with(image: Self.jpeg) { fake in
            fake.state.withLockedValue { $0.failures = [(429, "2")] }
            let client = Self.client(fake)
            _ = try await client.create(.model(owner: "acme", name: "instantid"), input: [:], webhook: nil)
            let creates = fake.calls.filter { $0.method == "POST" }
            #expect(creates.count == 2)
            let waited = creates[1].at.timeIntervalSince(creates[0].at)
            // Without Retry-After the first retry waits 1 s: 2 s or more is the header honoured. (No upper
            // bound: a loaded machine may take longer to answer, which says nothing about the client.)
            #expect(waited >= 2.0, "Retry-After: 2 honoured (\(waited) s)")

            fake.state.withLockedValue { $0.failures = [(500, nil), (503, nil)] }
            await #expect(throws: PredictionsError.unavailable(status: 503)) {
                _ = try await Self.client(fake, attempts: 2).create(.model(owner: "acme", name: "instantid"), input: [:], webhook: nil)
            }
            // A refusal is not retried.
            fake.state.withLockedValue { $0.failures = [(422, nil)] }
            let before = fake.calls.count
            await #expect(throws: PredictionsError.refused(status: 422, message: "fake failure 422")) {
                _ = try await client.create(.model(owner: "acme", name: "instantid"), input: [:], webhook: nil)
            }
            #expect(fake.calls.count == before + 1)
            // A wrong token is refused, not retried.
            await #expect(throws: PredictionsError.refused(status: 401, message: "Unauthenticated")) {
                _ = try await Self.client(fake, token: "r8_wrong").create(.model(owner: "acme", name: "instantid"), input: [:], webhook: nil)
            }
        }
    }

    @Test func aSelfHostedCogContainerAnswersInlineWithoutATokenAndAnExpiredOutputIsGone() async throws {
        try await FakePredictions.with(image: Self.jpeg) { fake in
            let cog = Self.client(fake, token: nil)
            let done = try await cog.create(.cog, input: ["prompt": .string("a headshot")], webhook: URL(string: "https://x.example/hook")!)
            #expect(done.status == .succeeded && done.output.first?.hasPrefix("data:image/jpeg;base64,") == true)
            #expect(fake.calls.last?.path == "/predictions" && fake.calls.last?.authorization == nil && fake.calls.last?.body.contains("webhook") == false)
            #expect(try await cog.download(done.output[0]) == Self.jpeg)
            await #expect(throws: PredictionsError.malformed("an output data URI is not base64")) { _ = try await cog.download("data:image/jpeg,plain") }

            fake.state.withLockedValue { $0.expired = ["gone-0.jpg"] }
            await #expect(throws: PredictionsError.outputGone) { _ = try await Self.client(fake).download(fake.base.absoluteString + "/files/gone-0.jpg") }
        }
    }

    @Test func modelNamesReadAsTheAPIsThreeFormsOrCog() {
        #expect(PredictionTarget("acme/pulid") == .model(owner: "acme", name: "pulid"))
        #expect(PredictionTarget("acme/pulid:abc123def456") == .version("abc123def456"))
        #expect(PredictionTarget("deployments/acme/headshots") == .deployment(owner: "acme", name: "headshots"))
        #expect(PredictionTarget("5c7d5dc6dd8bf75c") == .version("5c7d5dc6dd8bf75c"))
        #expect(PredictionTarget("cog") == .cog)
        for bad in ["", "acme/", "/pulid", "a/b/c/d", "short", "has space"] { #expect(PredictionTarget(bad) == nil, "\(bad)") }
    }

    @Test func standardWebhookSignaturesAreCheckedEveryEntryInConstantTimeWithinFiveMinutes() throws {
        let secret = "whsec_" + Data("a secret of the fake provider".utf8).base64EncodedString()
        let body = Array(#"{"id":"p1","status":"succeeded"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let stamp = Int(now.timeIntervalSince1970)
        let good = try StandardWebhook.signature(id: "msg_1", timestamp: stamp, body: body, secret: secret)
        #expect(try StandardWebhook.verify(id: "msg_1", timestamp: String(stamp), signature: good, body: body, secret: secret, now: now) == "msg_1")
        // Several entries (a key rotation): one match is enough, and every entry is compared.
        #expect(throws: Never.self) {
            try StandardWebhook.verify(id: "msg_1", timestamp: String(stamp), signature: "v1,Zm9yZ2Vk " + good + " v2,other", body: body, secret: secret, now: now)
        }
        let forged = try StandardWebhook.signature(id: "msg_1", timestamp: stamp, body: body, secret: "whsec_" + Data("another key".utf8).base64EncodedString())
        #expect(throws: StandardWebhook.Problem.invalidSignature) {
            try StandardWebhook.verify(id: "msg_1", timestamp: String(stamp), signature: forged, body: body, secret: secret, now: now)
        }
        #expect(throws: StandardWebhook.Problem.invalidSignature, "a changed body") {
            try StandardWebhook.verify(id: "msg_1", timestamp: String(stamp), signature: good, body: body + [32], secret: secret, now: now)
        }
        #expect(throws: StandardWebhook.Problem.invalidSignature, "another id") {
            try StandardWebhook.verify(id: "msg_2", timestamp: String(stamp), signature: good, body: body, secret: secret, now: now)
        }
        let old = try StandardWebhook.signature(id: "msg_1", timestamp: stamp - 301, body: body, secret: secret)
        #expect(throws: StandardWebhook.Problem.staleTimestamp) {
            try StandardWebhook.verify(id: "msg_1", timestamp: String(stamp - 301), signature: old, body: body, secret: secret, now: now)
        }
        #expect(throws: StandardWebhook.Problem.missingHeaders) {
            try StandardWebhook.verify(id: nil, timestamp: String(stamp), signature: good, body: body, secret: secret, now: now)
        }
        #expect(throws: StandardWebhook.Problem.badSecret) { _ = try StandardWebhook.key("whsec_!!!") }
    }

    /// The outbound policy on the provider's output URLs: the token goes to the API's own origin only
    /// (not to a look-alike whose text starts with it), other hosts are fetched only when allowed and
    /// never redirected elsewhere, and where only public addresses may be reached (production),
    /// loopback and the link-local metadata service are refused before any connection is made.
    @Test func theTokenGoesOnlyToTheAPIOriginAndOutputsAreFetchedOnlyWhereTheOutboundPolicyAllows() async throws {
        // The origin, not the text: `hasPrefix` took this look-alike for the API.
        let replicate = PredictionsClient(base: URL(string: "https://api.replicate.com")!, token: "r8_x", http: .shared)
        #expect(replicate.isAPI("https://api.replicate.com/v1/files/abc"))
        #expect(!replicate.isAPI("https://api.replicate.com.evil.tld/v1/files/abc") && !replicate.isAPI("http://api.replicate.com/v1/files/abc")
                && !replicate.isAPI("https://api.replicate.com:8443/v1/files/abc"))

        try await FakePredictions.with(image: Self.jpeg) { fake in
            let development = OutboundPolicy(allowedHosts: ["localhost"], allowsHTTP: true, refusesPrivateAddresses: false)
            let client = PredictionsClient(base: fake.base, token: FakePredictions.token, http: .shared, outputs: development)
            let sameOrigin = fake.base.absoluteString + "/files/abc-0.jpg"
            let own = try await client.download(sameOrigin)
            #expect(own == Self.jpeg)
            #expect(fake.calls.last?.authorization == "Bearer \(FakePredictions.token)", "the API's own file URL is authorised")

            // Another origin (the same server under another name): fetched, without the token.
            let other = try await client.download("http://localhost:\(fake.port)/files/abc-0.jpg")
            #expect(other == Self.jpeg)
            #expect(fake.calls.last?.authorization == nil, "the token never leaves the API's origin")

            // A host nobody allowed: refused without a request.
            let before = fake.calls.count
            await #expect(throws: PredictionsError.self) { _ = try await client.download("http://127.0.0.2:\(fake.port)/files/abc-0.jpg") }
            #expect(fake.calls.count == before)

            // A same-origin redirect is followed; one to another origin is not.
            let moved = try await client.download(sameOrigin.replacingOccurrences(of: "/files/", with: "/moved/"))
            #expect(moved == Self.jpeg)
            let redirected = fake.calls.count
            await #expect(throws: PredictionsError.outputRefused("http://127.0.0.1:\(fake.port) redirected to another origin (http://localhost:\(fake.port)/files/abc-0.jpg)")) {
                _ = try await client.download(sameOrigin.replacingOccurrences(of: "/files/", with: "/elsewhere/"))
            }
            #expect(fake.calls.count == redirected + 1 && fake.calls.last?.path.hasPrefix("/elsewhere/") == true, "the other origin was never asked")

            // Production: https only, public addresses only, checked before connecting.
            let production = OutboundPolicy(allowedHosts: ["localhost", "169.254.169.254", "*.replicate.delivery"], allowsHTTP: false,
                                            refusesPrivateAddresses: true)
            let strict = PredictionsClient(base: URL(string: "https://api.replicate.com")!, token: "r8_x", http: .shared, outputs: production)
            for url in ["https://localhost:\(fake.port)/files/abc-0.jpg", "https://169.254.169.254/latest/meta-data/", "http://cdn.replicate.delivery/x.jpg",
                        "https://example.org/x.jpg", "file:///etc/passwd"] {
                await #expect(throws: PredictionsError.self, "\(url)") { _ = try await strict.download(url) }
            }
            #expect(fake.calls.count == redirected + 1, "nothing reached the loopback server")
        }
        #expect(!OutboundPolicy.isPublic("127.0.0.1") && !OutboundPolicy.isPublic("10.1.2.3") && !OutboundPolicy.isPublic("169.254.169.254")
                && !OutboundPolicy.isPublic("::1") && !OutboundPolicy.isPublic("fe80::1") && !OutboundPolicy.isPublic("fd00::1")
                && !OutboundPolicy.isPublic("::ffff:192.168.1.1") && !OutboundPolicy.isPublic("100.64.0.1"))
        #expect(OutboundPolicy.isPublic("93.184.216.34") && OutboundPolicy.isPublic("2606:4700::1111"))
    }
}

/// The per-preset file: the documented example reads as written, every problem is reported at once
/// with its key, and a template's placeholders are filled in for each prediction.
