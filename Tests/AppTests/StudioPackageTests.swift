import BlobStorage
import Fluent
import Foundation
import Imaging
import NIOCore
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The packages customers buy, made the way a customer makes them: the 8 person-a photos uploaded
/// through the API, the package chosen and paid in the sandbox's hosted checkout, the order's
/// job run by the queue worker with the studio renderer. Each completes in one attempt with
/// exactly its count, every headshot a different picture in its style (a different photo or
/// framing, and no near-duplicate by the generator's measure), passing the gate and still the
/// person. Every order has its own plan (the seed is the order's id), so each run tries another.
/// They run on both databases: the order's rows, plan and gallery at full size on each.
@Suite("Studio packages at the sizes customers buy") struct StudioPackageTests {
    static func checkout(_ client: PhotoClient, order: String, package: String, presets: [StylePreset], acceptFewer: Bool = false) async throws -> TestingHTTPResponse {
        var headers = client.auth
        headers.contentType = .json
        let body = #"{"package":"\#(package)","presets":[\#(presets.map { "\"\($0.rawValue)\"" }.joined(separator: ","))],"consent":true\#(acceptFewer ? #","accept_fewer":true"# : "")}"#
        return try await client.browser.request(.POST, "/api/v1/orders/\(order)/checkout", headers: headers, body: ByteBuffer(string: body))
    }

    /// Pays the order's sandbox checkout with 4242… and lets the webhook land: the order is queued.
    static func pay(_ app: Application, _ client: PhotoClient, checkoutURL: String) async throws {
        let path = try #require(URLComponents(string: checkoutURL)?.path)
        let paid = try await client.browser.submit(path, ["card_number": "4242 4242 4242 4242"])
        #expect(paid.status == .seeOther)
        #expect(try await app.deliverSandboxWebhooks() == 1)
    }

    func order(package: String, count: Int, presets: [StylePreset]) async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let plan = try await client.api(.GET, "/orders/\(order)/plan")
            #expect(plan.status == .ok && plan.body.string.contains(#""distinct_per_style":"#), "\(plan.body.string)")
            let started = try await Self.checkout(client, order: order, package: package, presets: presets)
            #expect(started.status == .created, "\(started.body.string)")
            #expect(started.body.string.contains(#""headshot_count":\#(count)"#), "the photos give all \(count): \(started.body.string)")
            let session = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(started.body.readableBytesView))
            try await Self.pay(app, client, checkoutURL: try #require(session["checkout_url"]?.string))

            let generator = try #require(app.generator)
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            let orderID = try #require(UUID(uuidString: order))
            let job = try #require(try await GenerationJob.query(on: app.db).filter(\.$order.$id == orderID).first())
            #expect(job.status == .succeeded && job.attempts == 1, "one attempt: \(job.status) after \(job.attempts), \(job.lastError ?? "")")
            #expect(try await Order.find(orderID, on: app.db)?.status == .completed)

            let assets = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == orderID).sort(\.$sequence).all()
            #expect(assets.count == count && Set(assets.map(\.sequence)) == Set(0..<count))
            let perStyle = Dictionary(grouping: assets, by: \.preset)
            #expect(perStyle.keys.sorted() == presets.map(\.rawValue).sorted())
            #expect(perStyle.values.allSatisfy { abs($0.count - count / presets.count) <= 1 }, "styles take turns")
            var likenesses: [String: [Likeness]] = [:]
            for asset in assets {
                #expect(asset.shot.flatMap(StudioShot.init(code:)) != nil, "each headshot records the shot it was drawn as")
                #expect((asset.identityDistance ?? 1) <= StudioGenerator.identityThreshold)
                likenesses[asset.preset, default: []].append(try Likeness(jpeg: try await app.blobStore.read(BlobKey(path: asset.blobKey))))
            }
            for (style, group) in perStyle {
                let looks = group.compactMap { $0.shot.flatMap(StudioShot.init(code:))?.look }
                #expect(Set(looks).count == group.count, "\(style): every headshot another photo or framing")
                let values = likenesses[style] ?? []
                var twins = 0
                for i in values.indices { for j in values.indices where j > i && values[i].isTwin(of: values[j]) { twins += 1 } }
                #expect(twins == 0, "\(style): \(twins) near-duplicate pairs")
            }
            // The gallery says what the checkout said.
            let gallery = try await client.browser.request(.GET, "/orders/\(order)/gallery").body.string
            #expect(gallery.contains("\(count) headshots in \(presets.count) styles, each a different picture"))
            #expect(try await client.browser.request(.GET, "/orders/\(order)").body.string.contains("\(count) headshots in \(presets.count) styles, each a different picture"))
        }
    }

    @Test func basicFortyInThreeStylesCompletesInOneAttempt() async throws {
        try await order(package: "basic", count: 40, presets: Array(StylePreset.allCases.prefix(3)))
    }

    @Test func professionalHundredInFiveStylesCompletesInOneAttempt() async throws {
        try await order(package: "professional", count: 100, presets: StylePreset.allCases)
    }

    /// Professional in one style needs 100 different pictures in it: the 8 photos give far fewer.
    /// The checkout says how many, and what would reach 100; the customer may pay for what they get.
    @Test func aPackageThePhotosCannotFillIsSaidBeforePaymentAndSoldForWhatItDelivers() async throws {
        try await withTestApp(services: { $0.webhookTransport = InMemoryWebhookTransport(app: $1) }) { app, _ in
            let (client, order) = try await CheckoutFlowTests.readyOrder(app)
            let capacity = try await PlanCapacity.of(orderID: try #require(UUID(uuidString: order)), on: app.db)
            #expect(capacity.photos == 8 && capacity.distinctPerStyle >= 16 && capacity.distinctPerStyle < 100)
            let refused = try await Self.checkout(client, order: order, package: "professional", presets: [.corporateGrey])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("fewer_headshots"), "\(refused.body.string)")
            #expect(refused.body.string.contains("give \(capacity.distinctPerStyle) different headshots in 1 style, not 100"))
            #expect(refused.body.string.contains("Add \(capacity.photosToAdd(count: 100, styles: 1)) more photos"))
            let page = try await client.browser.submit("/orders/\(order)/checkout", ["package": "professional", "presets[]": "corporate-grey", "consent": "yes"])
            #expect(page.status == .unprocessableEntity && page.body.string.contains("accept-fewer") && page.body.string.contains("not 100"))
            #expect(try await Order.find(UUID(uuidString: order), on: app.db)?.status == .draft, "nothing started")

            let accepted = try await Self.checkout(client, order: order, package: "professional", presets: [.corporateGrey], acceptFewer: true)
            #expect(accepted.status == .created)
            let stored = try #require(try await Order.find(UUID(uuidString: order), on: app.db))
            #expect(stored.headshotCount == capacity.distinctPerStyle)
            #expect(stored.amountMinor == (5900 * capacity.distinctPerStyle + 50) / 100, "the price in proportion: \(stored.amountMinor ?? 0)")
            #expect(accepted.body.string.contains(#""headshot_count":\#(capacity.distinctPerStyle)"#))
        }
    }
}

/// A JSON value read only for its text (the checkout URL).
struct AnyDecodable: Decodable {
    let string: String?
    init(from decoder: any Decoder) throws {
        string = try? decoder.singleValueContainer().decode(String.self)
    }
}
