import BlobStorage
import Fluent
import Foundation
import Imaging
import NIOConcurrencyHelpers
import Testing
import VaporTesting
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// The studio renderer as the queue's generator, on an order whose 8 person-a photos went through
/// the real upload path: the job delivers exactly its count, every headshot passes the gate and the
/// identity guard, no two of a preset are near-identical, and a wrong-person render is discarded.
@Suite("Studio generator", .enabled(if: TestDatabase.rendersStudioOrders, "renders on the SQLite pass only (TestDatabase.rendersStudioOrders)")) struct StudioGeneratorTests {
    static let allPresets = StylePreset.allCases.map(\.rawValue).joined(separator: ",")

    /// A queued order with the person-a photos accepted, and its job for `total` headshots in all five presets.
    static func orderWithPhotos(_ app: Application, total: Int) async throws -> GenerationJob {
        let (client, _) = try await PhotoClient.make(app)
        let order = try await client.createOrder()
        for fixture in PhotoClient.personA { #expect(try await client.upload(fixture: fixture, to: order).status == .created) }
        let orderID = try #require(UUID(uuidString: order))
        try await Order.query(on: app.db).filter(\.$id == orderID).set(\.$status, to: .queued).set(\.$presets, to: allPresets).update()
        let job = GenerationJob(orderID: orderID, kind: "generate", priority: 0, runAt: app.clock.now(), total: total)
        job.payload = allPresets
        try await job.create(on: app.db)
        return job
    }

    /// The real renderer, except that chosen calls render someone else's photo (as a faulty model might).
    struct Impostor: HeadshotRendering {
        let real: StudioRenderer
        let stranger: [UInt8]
        let calls = NIOLockedValueBox(0)
        let swapped = NIOLockedValueBox<[Double]>([])
        var threadCount: Int { real.threadCount }

        func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]]) async throws -> StudioHeadshot {
            let call = calls.withLockedValue { $0 += 1; return $0 }
            guard call == 2 else { return try await real.render(source, look: look, variation: variation, references: references) }
            let headshot = try await real.render(StudioSource(id: 999, jpeg: stranger), look: look, variation: variation, references: references)
            swapped.withLockedValue { $0.append(headshot.identityDistance) }
            return headshot
        }
    }

    @Test func anOrderGetsExactlyItsHeadshotsEachPassingTheGateAndStillThePerson() async throws {
        try await withTestApp { app, _ in
            let job = try await Self.orderWithPhotos(app, total: 10)
            let generator = try #require(app.generator)
            #expect(generator.description.contains("no generative AI"))
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)

            let assets = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == job.id).sort(\.$sequence).all()
            #expect(assets.count == 10)
            #expect(Dictionary(grouping: assets, by: \.preset).mapValues(\.count) == Dictionary(uniqueKeysWithValues: StylePreset.allCases.map { ($0.rawValue, 2) }))
            var likenesses: [String: [Likeness]] = [:]
            for asset in assets {
                #expect((asset.identityDistance ?? 1) <= StudioGenerator.identityThreshold)
                let jpeg = try await app.blobStore.read(BlobKey(path: asset.blobKey))
                let checked = try await app.photoInspector.inspect(jpeg).report
                #expect(checked.verdict == .pass, "\(asset.preset): \(checked.findings.filter { $0.verdict != .pass })")
                // 4:5 at the largest size the source photo supports, never above 1600×2000.
                #expect(asset.width * 5 == asset.height * 4 && asset.width <= 1600 && checked.width == asset.width, "\(asset.width)×\(asset.height)")
                #expect(!String(decoding: jpeg.prefix(4096), as: UTF8.self).contains("Exif"))
                #expect(asset.shot.flatMap(StudioShot.init(code:)) != nil, "the shot it was drawn as is recorded")
                likenesses[asset.preset, default: []].append(try Likeness(jpeg: jpeg))
            }
            for (preset, values) in likenesses {
                for i in values.indices { for j in values.indices where j > i {
                    #expect(!values[i].isTwin(of: values[j]), "two \(preset) headshots are near-identical")
                } }
            }
        }
    }

    @Test func aWrongPersonRenderIsDiscardedAndMadeAgain() async throws {
        try await withTestApp { app, _ in
            let job = try await Self.orderWithPhotos(app, total: 3)
            let impostor = Impostor(real: try await app.studioRenderer, stranger: try PhotoClient.fixture("faces/singles/obama.jpg"))
            let generator = StudioGenerator(renderer: { impostor }, database: app.testServices.database, store: app.blobStore)
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            #expect(try await GenerationJob.find(job.id, on: app.db)?.status == .succeeded)
            let distances = impostor.swapped.withLockedValue { $0 }
            #expect(distances.count == 1 && distances[0] > StudioGenerator.identityThreshold, "\(distances)")
            #expect(impostor.calls.withLockedValue { $0 } == 4, "three headshots and one replacement")
            let delivered = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == job.id).all()
            #expect(delivered.count == 3 && delivered.allSatisfy { ($0.identityDistance ?? 1) <= StudioGenerator.identityThreshold })
        }
    }

    /// A re-run of one style through the queue with the real renderer: new pictures (the plan's
    /// unseen ones first), each still the person, none a shot the order delivered, the old ones kept.
    @Test func aRerunOfAStyleMakesNewPicturesOfThePersonAndKeepsTheOldOnes() async throws {
        try await withTestApp { app, _ in
            let job = try await Self.orderWithPhotos(app, total: 10)
            let orderID = job.$order.id
            try await Order.query(on: app.db).filter(\.$id == orderID).set(\.$headshotCount, to: 10).update()
            let order = try #require(try await Order.find(orderID, on: app.db))
            let package = try #require(try await Package.query(on: app.db).filter(\.$code == "basic").first())
            try await Entitlement(orderID: orderID, userID: order.$user.id, packageID: try package.requireID(), headshotCount: 10,
                                  rerunCredits: 1, paymentReference: "pi_test").create(on: app.db)
            let generator = try #require(app.generator)
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            #expect(try await Order.find(orderID, on: app.db)?.status == .completed)
            let old = try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == orderID).all()

            let rerun = try await Reruns(db: app.db, actor: .user(order.$user.id), now: app.clock.now())
                .start(order: orderID, owner: order.$user.id, scope: .style("corporate-grey"))
            #expect(try await QueueWorker(app: app, generator: generator).runOnce())
            #expect(try await GenerationJob.find(rerun.id, on: app.db)?.status == .succeeded)
            let new = try await GeneratedAsset.query(on: app.db).filter(\.$job.$id == rerun.id).all()
            #expect(new.count == 2 && new.allSatisfy { $0.preset == "corporate-grey" && ($0.identityDistance ?? 1) <= StudioGenerator.identityThreshold })
            let oldShots = Set(old.filter { $0.preset == "corporate-grey" }.compactMap(\.shot))
            let oldLooks = Set(oldShots.compactMap { StudioShot(code: $0)?.look })
            #expect(new.allSatisfy { $0.shot.flatMap(StudioShot.init(code:)).map { !oldLooks.contains($0.look) } ?? false },
                    "the style's unseen pictures first: \(new.compactMap(\.shot)) after \(oldShots)")
            #expect(try await GeneratedAsset.query(on: app.db).filter(\.$order.$id == orderID).count() == 12)
        }
    }
}
