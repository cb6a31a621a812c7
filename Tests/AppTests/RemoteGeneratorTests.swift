import BlobStorage
import Fluent
import Foundation
import Imaging
import NIOCore
import SiteRoutes
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The remote generator end to end: a paid order's remote style is made by the fake provider (a
/// server on loopback speaking Replicate's wire format and signing its webhooks), through our
/// served app (webhooks and reference links arrive over HTTP), by a real queue worker, and every
/// output goes through the imaging engine's checks before it reaches the gallery.
@Suite("Remote generator", .serialized) struct RemoteGeneratorTests {
    static let secret = RemoteWebhookTests.secret
    /// The photos the customer uploads (the references), and what the fake "generates": other photos of the same person.
    static let uploads = ["img2", "img4", "img6", "img7"].map { "faces/person-a/\($0).jpg" }
    static let outputs = ["img1", "img10", "img11", "img5", "img2", "img4", "img6", "img7"].map { "faces/person-a/\($0).jpg" }

    static func presets(outputs: Int = 2, references: String = "signed_urls", model: String = "acme/pulid") throws -> RemotePresets {
        let json = """
            {"provider": {"price_per_second": 0.001525, "currency": "USD", "max_concurrent": 2, "prediction_deadline_seconds": 60,
                          "references": "\(references)"},
             "presets": {"corporate-grey": {"backend": "remote", "model": "\(model)", "outputs_per_prediction": \(outputs),
                                            "input": {"main_face_image": "{{reference}}", "prompt": "studio headshot", "id_weight": 1.0,
                                                      "num_outputs": "{{outputs}}", "seed": "{{seed}}"}},
                         "bright-white": {"backend": "studio"}}}
            """
        return try RemotePresets.parse(Array(json.utf8), source: "test", knownPresets: StylePreset.allCases.map(\.rawValue))
    }

    /// A served app whose generator is the remote one, pointed at `fake`.
    static func withRemoteApp(_ fake: FakePredictions, presets: RemotePresets, grace: Duration = .seconds(20), token: String? = FakePredictions.token,
                              _ body: (Application, ManualClock, String) async throws -> Void) async throws {
        try await withServedTestApp(customize: { config in
            var settings = AppConfig.RemoteSettings(baseURL: fake.base, token: token, presets: presets)
            settings.webhookGrace = grace
            settings.pollInterval = .milliseconds(300)
            settings.retryBackoff = .milliseconds(20)
            config.generator = .remote(settings)
            config.remoteWebhookSecret = Self.secret
        }) { app, clock, site, port in
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            do { try await body(app, clock, site) } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    /// A customer's order with person-a's photos, paid through the sandbox's signed webhook: queued
    /// with its job, `count` headshots in `presets`.
    static func paidOrder(_ app: Application, presets: String, count: Int) async throws -> (PhotoClient, Order, GenerationJob) {
        let (client, _) = try await PhotoClient.make(app)
        let id = try await client.createOrder()
        for fixture in uploads { #expect(try await client.upload(fixture: fixture, to: id).status == .created) }
        let draft = try #require(try await Order.find(UUID(uuidString: id), on: app.db))
        let order = try await PaymentFixtures.paidInSandbox(app, try await Fixtures.checkedOut(app, draft, package: "basic", presets: presets, count: count))
        let job = try #require(try await GenerationJob.query(on: app.db).filter(\.$order.$id == order.requireID()).first())
        return (client, order, job)
    }

    static func personA() throws -> [[UInt8]] { try outputs.map(PhotoClient.fixture) }

    static func worker(_ app: Application) throws -> QueueWorker { QueueWorker(app: app, generator: try #require(app.generator)) }

    /// The XMP label a stored or served file carries.
    static func sourceType(_ jpeg: [UInt8]) -> String? {
        let text = String(decoding: jpeg.prefix(4096), as: UTF8.self)
        guard let range = text.range(of: #"DigitalSourceType="[^"]+""#, options: .regularExpression) else { return nil }
        return String(text[range].dropFirst(19).dropLast())
    }

    @Test(arguments: [FakePredictions.WebhookMode.once, .duplicated, .reordered, .late(.seconds(3)), .never])
    func anOrderCompletesWithRemoteOutputsExactlyOnceWhateverTheWebhooksDo(_ mode: FakePredictions.WebhookMode) async throws {
        let clock = ManualClock()
        try await FakePredictions.with(image: [], webhookSecret: Self.secret, now: { clock.now() }) { fake in
            fake.state.withLockedValue {
                $0.images = try! Self.personA()
                $0.completeAfter = .milliseconds(300)
                $0.webhooks = mode
            }
            // Webhooks that come promptly are waited for (no reads); late or lost ones are read after a second.
            let prompt = switch mode { case .late, .never: false; default: true }
            try await Self.withRemoteApp(fake, presets: try Self.presets(), grace: prompt ? .seconds(30) : .seconds(1)) { app, appClock, site in
                appClock.set(clock.now())
                let (client, order, job) = try await Self.paidOrder(app, presets: "corporate-grey", count: 4)
                #expect(try await Self.worker(app).runOnce())
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
                #expect(try await Order.find(order.id, on: app.db)?.status == .completed)
                if mode == .once { try await Self.expectHonestLabels(app, client, order: try order.requireID()) }

                // Exactly the four headshots, from two predictions of two, each delivered once and labelled as AI-generated.
                let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).sort(\.$sequence).all()
                #expect(assets.map(\.sequence) == [0, 1, 2, 3])
                #expect(assets.allSatisfy { $0.origin == .diffusion && ($0.identityDistance ?? 1) <= StudioOrder.identityThreshold })
                for asset in assets {
                    #expect(Self.sourceType(try await app.blobStore.read(try BlobKey(path: asset.blobKey))) == HeadshotOrigin.diffusion.digitalSourceType)
                }
                #expect(fake.creates.count == 2)
                let records = try await RemotePrediction.query(on: app.db).filter(\.$orderID == order.requireID()).all()
                #expect(records.count == 2 && records.allSatisfy { $0.status == "succeeded" && $0.predictTime == 4.25 })
                let reads = fake.calls.filter { $0.method == "GET" && $0.path.hasPrefix("/v1/predictions/") }.count
                if prompt { #expect(reads == 0, "the webhook finished each prediction") } else { #expect(reads >= 2, "polling finished each prediction") }

                // Every webhook is let through once; duplicates and stale ones change nothing.
                _ = await eventually(10) { fake.state.withLockedValue { $0.webhooksSent } >= (mode == .never ? 0 : 2) }
                if case .late = mode { try await Task.sleep(for: .seconds(4)) }
                let deliveries = try await RemoteWebhookDelivery.query(on: app.db).count()
                switch mode {
                case .never: #expect(deliveries == 0)
                case .reordered: #expect(deliveries == 4)
                default: #expect(deliveries == 2)
                }
                #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).count() == 4)
                #expect(try await RemotePrediction.query(on: app.db).filter(\.$orderID == order.requireID()).all().allSatisfy { $0.status == "succeeded" })

                if mode == .once {
                    // The reference links the provider fetched during the job: signed, an hour at most, refused once the job ended.
                    let fetched = fake.state.withLockedValue { $0.referenceFetches }
                    #expect(fetched.count == 2 && fetched.allSatisfy { $0.status == 200 }, "\(fetched)")
                    let link = try #require(fetched.first?.url)
                    #expect(link.hasPrefix(site + "/remote-references/"))
                    let expires = try #require(Int(try Browser.extract(#"exp=([0-9]+)"#, from: link)))
                    #expect(expires - Int(appClock.now().timeIntervalSince1970) <= 3600)
                    let path = String(link.dropFirst(site.count))
                    #expect(try await app.testing().sendRequest(.GET, path).status == .gone)
                    #expect(try await app.testing().sendRequest(.GET, path.replacingOccurrences(of: "sig=", with: "sig=x")).status == .forbidden)
                    appClock.advance(by: 7200)
                    #expect(try await app.testing().sendRequest(.GET, path).status == .gone)
                }
            }
        }
    }

    /// The customer's pages and API say which headshots are AI-generated; an admin sees what the order cost at the provider.
    static func expectHonestLabels(_ app: Application, _ client: PhotoClient, order: UUID) async throws {
        let id = order.uuidString.lowercased()
        let page = try await client.browser.request(.GET, "/orders/\(id)").body.string
        #expect(page.contains("4 of your headshots are AI-generated by a diffusion model"))
        let gallery = try await client.browser.request(.GET, "/orders/\(id)/gallery").body.string
        #expect(gallery.components(separatedBy: "badge ai").count - 1 == 4)
        let headshots = try await client.api(.GET, "/orders/\(id)/headshots").body.string
        #expect(headshots.components(separatedBy: #""origin":"diffusion""#).count - 1 == 4)
        let styles = try await client.browser.request(.GET, "/styles").body.string
        #expect(styles.contains(#"id="remote-corporate-grey""#) && !styles.contains(#"id="remote-bright-white""#))
        #expect(try await client.browser.request(.GET, "/").body.string.contains(#"id="remote-styles""#))
        // A downloaded square crop carries the same label as the stored file.
        let link = try Browser.extract(#""square":"([^"]+)""#, from: headshots).replacingOccurrences(of: "\\/", with: "/")
        let square = try await client.browser.request(.GET, link)
        #expect(square.status == .ok && Self.sourceType(Array(square.body.readableBytesView)) == HeadshotOrigin.diffusion.digitalSourceType)
        let (admin, _) = try await ConsoleTests.staff(app, role: .admin)
        #expect(try await admin.browser.request(.GET, "/admin/orders/\(id)").body.string.contains("2 predictions, 8.5 s of GPU time billed, 0.0130 USD"))
        let file = try await ConsoleTests.api(admin, .GET, "/admin/orders/\(id)").body.string
        #expect(file.contains(#""predictions":2"#) && file.contains(#""predict_seconds":8.5"#) && file.contains(#""currency":"USD""#))
        let (support, _) = try await ConsoleTests.staff(app, role: .support)
        #expect(!(try await ConsoleTests.api(support, .GET, "/admin/orders/\(id)").body.string.contains(#""gpu""#)))
    }

    @Test func aStrangersFaceIsDiscardedAndAnExpiredOutputIsAskedForAgain() async throws {
        try await FakePredictions.with(image: [], webhookSecret: Self.secret) { fake in
            fake.state.withLockedValue {
                $0.images = try! Self.personA()
                // The first prediction's first output is obama; its second answers 404 (provider outputs expire).
                $0.firstImages = [try! PhotoClient.fixture("faces/singles/obama.jpg")]
                $0.expireFirstOutput = 1
                $0.completeAfter = .milliseconds(200)
                $0.webhooks = .never
            }
            try await Self.withRemoteApp(fake, presets: try Self.presets(), grace: .milliseconds(200)) { app, _, _ in
                let (_, order, job) = try await Self.paidOrder(app, presets: "corporate-grey", count: 4)
                #expect(try await Self.worker(app).runOnce())
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
                let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).all()
                #expect(assets.count == 4 && assets.allSatisfy { $0.origin == .diffusion && ($0.identityDistance ?? 1) <= StudioOrder.identityThreshold })
                // Two predictions for the four, and one more for the two outputs that were not delivered.
                #expect(fake.creates.count == 3)
                let metrics = app.appMetrics.exposition()
                #expect(metrics.contains(#"remote_outputs_discarded_total{reason="identity"} 1"#))
                #expect(metrics.contains(#"remote_outputs_discarded_total{reason="download"} 1"#))
            }
        }
    }

    @Test func aRateLimitIsWaitedOutAndA500BurstOpensTheBreakerSoTheStudioRendererMakesTheRest() async throws {
        try await FakePredictions.with(image: [], webhookSecret: Self.secret) { fake in
            fake.state.withLockedValue {
                $0.images = try! Self.personA()
                // A rate limit saying "in 2 s", then a burst of server errors: every create of the order fails.
                $0.failures = [(429, "2")] + Array(repeating: (500, nil), count: 11)
            }
            try await Self.withRemoteApp(fake, presets: try Self.presets()) { app, _, _ in
                let (client, order, job) = try await Self.paidOrder(app, presets: "corporate-grey,bright-white", count: 4)
                #expect(try await Self.worker(app).runOnce())
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
                let creates = fake.creates
                #expect(creates.count == 12, "three creates of four attempts each")
                #expect(creates[1].at.timeIntervalSince(creates[0].at) >= 2, "Retry-After: 2 honoured")

                // The studio renderer made all four, and the order says why.
                let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).all()
                #expect(assets.count == 4 && assets.allSatisfy { $0.origin == .studio })
                #expect(Set(assets.map(\.preset)) == ["corporate-grey", "bright-white"])
                let stored = try #require(try await Order.find(order.id, on: app.db))
                #expect(stored.studioFallback == OrderFallback.breaker)
                let id = try order.requireID().uuidString.lowercased()
                let page = try await client.browser.request(.GET, "/orders/\(id)")
                #expect(page.body.string.contains(#"id="studio-fallback""#) && page.body.string.contains("failed repeatedly"))
                let api = try await client.api(.GET, "/orders/\(id)")
                #expect(api.body.string.contains(#""studio_fallback":"Our GPU provider failed repeatedly"#))
                #expect(app.appMetrics.exposition().contains(#"remote_predictions_total{outcome="breaker_open"} 1"#))
                // Studio renders are labelled as composites, not as AI-generated.
                for asset in assets {
                    #expect(Self.sourceType(try await app.blobStore.read(try BlobKey(path: asset.blobKey))) == HeadshotOrigin.studio.digitalSourceType)
                }
            }
        }
    }

    @Test func aRefundWhileThePredictionsRunCancelsThemAtTheProviderAndNothingMoreIsAsked() async throws {
        try await FakePredictions.with(image: [], webhookSecret: Self.secret) { fake in
            fake.state.withLockedValue {
                $0.images = try! Self.personA()
                $0.completeAfter = .seconds(600)
                $0.webhooks = .never
            }
            try await Self.withRemoteApp(fake, presets: try Self.presets()) { app, _, _ in
                let (client, order, job) = try await Self.paidOrder(app, presets: "corporate-grey", count: 4)
                let worker = try Self.worker(app)
                let working = Task { try await worker.runOnce() }
                #expect(await eventually(30) { fake.creates.count == 2 })
                #expect(await eventually(10) { (try? await RemotePrediction.query(on: app.db).filter(\.$orderID == order.requireID()).count()) == 2 })

                let id = try order.requireID().uuidString.lowercased()
                let refund = try await RefundTests.post(client, "/orders/\(id)/refund-requests", #"{"reason":"I no longer need them"}"#)
                #expect(refund.status == .created && refund.body.string.contains(#""status":"refunded""#), "\(refund.body.string)")
                // Both predictions are cancelled at the provider, and the worker stops without asking for more.
                #expect(fake.cancels.count == 2)
                let records = try await RemotePrediction.query(on: app.db).filter(\.$orderID == order.requireID()).all()
                #expect(records.allSatisfy { $0.status == "canceled" })
                _ = try await working.value
                #expect(fake.creates.count == 2)
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .cancelled)
                #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).count() == 0)
            }
        }
    }

    @Test func aPredictionAnEarlierAttemptAskedForIsTakenUpNotPaidForTwice() async throws {
        try await FakePredictions.with(image: [], webhookSecret: Self.secret) { fake in
            fake.state.withLockedValue {
                $0.images = try! Self.personA()
                $0.completeAfter = .milliseconds(300)
                $0.webhooks = .never
            }
            try await Self.withRemoteApp(fake, presets: try Self.presets(), grace: .milliseconds(300)) { app, _, _ in
                let (_, order, job) = try await Self.paidOrder(app, presets: "corporate-grey", count: 4)
                // A worker killed while waiting: its prediction for headshots 0 and 1 is at the provider and recorded.
                let client = PredictionsClient(base: fake.base, token: FakePredictions.token, http: .shared)
                let earlier = try await client.create(.model(owner: "acme", name: "pulid"), input: ["num_outputs": .number(2)], webhook: nil)
                try await RemotePrediction(jobID: try job.requireID(), orderID: try order.requireID(), prediction: earlier, preset: "corporate-grey",
                                           indices: [0, 1]).create(on: app.db)
                #expect(try await Self.worker(app).runOnce())
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
                #expect(fake.creates.count == 2, "the earlier prediction and one for headshots 2 and 3")
                let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).sort(\.$sequence).all()
                #expect(assets.map(\.sequence) == [0, 1, 2, 3] && assets.allSatisfy { $0.origin == .diffusion })
                #expect(try await RemotePrediction.query(on: app.db).filter(\.$providerID == earlier.id).first()?.status == "succeeded")
            }
        }
    }

    @Test func aSelfHostedCogContainerMakesTheHeadshotsWithoutATokenFromInlinePhotos() async throws {
        try await FakePredictions.with(image: try PhotoClient.fixture("faces/person-a/img1.jpg")) { fake in
            try await Self.withRemoteApp(fake, presets: try Self.presets(outputs: 1, references: "data_uris", model: "cog"), token: nil) { app, _, _ in
                let (_, order, job) = try await Self.paidOrder(app, presets: "corporate-grey", count: 1)
                #expect(try await Self.worker(app).runOnce())
                #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
                let call = try #require(fake.creates.first)
                #expect(call.path == "/predictions" && call.authorization == nil)
                #expect(call.body.contains(#""main_face_image":"data:image\/jpeg;base64,"#) || call.body.contains(#""main_face_image":"data:image/jpeg;base64,"#))
                let asset = try #require(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == order.requireID()).first())
                #expect(asset.origin == .diffusion)
            }
        }
    }

    @Test func withNothingConfiguredADefaultInstallIsUnchanged() async throws {
        try await withTestApp { app, _ in
            #expect(app.generator is StudioGenerator)
            #expect(app.testServices.remote == nil)
            let path = SiteURL.remoteReference(job: .value(UUID()), photo: .value(UUID())).path
            #expect(try await app.testing().sendRequest(.GET, path + "?exp=1&kid=x&sig=y").status == .notFound)
            #expect(try await app.testing().sendRequest(.POST, "/webhooks/remote").status == .notFound)
            let styles = try await app.testing().sendRequest(.GET, "/styles")
            #expect(styles.status == .ok && !styles.body.string.contains("AI-generated") && styles.body.string.contains("no generative AI"))
        }
    }
}
