import Foundation
import Testing
@testable import Imaging

/// The near-duplicate measure the generator uses to keep twins out of a style: a picture
/// re-cropped by a few percent, or the same file again, is a twin; a different photo is not.
@Suite(.serialized) struct StudioVarietyTests {
    static func render(_ photo: String, _ variation: StudioVariation, look: String = "executive-navy") async throws -> StudioHeadshot {
        try await StudioRendererTests.renderer.render(StudioSource(id: photo.hashValue, jpeg: try Fixture.bytes(photo)),
                                                      look: try #require(StudioLook.named(look)), variation: variation,
                                                      references: try await StudioRendererTests.referenceCache.get())
    }

    /// `jpeg` with `share` of its width and height cut off (half each side) and enlarged back.
    static func recropped(_ jpeg: [UInt8], by share: Double) throws -> Likeness {
        let image = try VipsImage.decodeNormalised(jpeg, maxSide: 4096, timeLimit: 10)
        let inset = PixelRect(x: Int(Double(image.width) * share / 2), y: Int(Double(image.height) * share / 2),
                              width: Int(Double(image.width) * (1 - share)), height: Int(Double(image.height) * (1 - share)))
        let back = try image.cropped(to: inset).resized(toWidth: image.width, height: image.height).materialised()
        return Likeness(thumbnail: try Raster(back).greyThumbnail(width: Likeness.width, height: Likeness.height))
    }

    /// Every order numbers its photos from 0: the renderer's cache of prepared photos must not hand one
    /// order's photo 0 out for another order's photo 0 (it did: the cache was keyed by the number alone).
    @Test func anotherSetsPhotoWithTheSameNumberIsNeverTakenFromTheCache() async throws {
        let renderer = StudioRendererTests.renderer
        let look = try #require(StudioLook.named("corporate-grey"))
        let references = try await StudioRendererTests.referenceCache.get()
        let first = try Fixture.bytes("faces/person-a/img1.jpg"), second = try Fixture.bytes("faces/person-a/img7.jpg")
        // The first photo is prepared as number 0.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<(renderer.threadCount * 2) {
                group.addTask {
                    _ = try await renderer.render(StudioSource(id: 0, jpeg: first), look: look, variation: StudioVariation(framing: .closeUp),
                                                  references: references)
                }
            }
            try await group.waitForAll()
        }
        let numberedZero = try await renderer.render(StudioSource(id: 0, jpeg: second), look: look, variation: StudioVariation(framing: .closeUp),
                                                     references: references)
        let fresh = try await renderer.render(StudioSource(id: 7_007, jpeg: second), look: look, variation: StudioVariation(framing: .closeUp),
                                              references: references)
        #expect(numberedZero.likeness.similarity(to: fresh.likeness) > 0.97, "photo 0 of the second set is made from that set's photo")
    }

    /// A photo is prepared once for all of the renderer's threads: once one thread has prepared it, the
    /// headshots made from it at the same time on every thread reuse it (each thread used to prepare it again).
    @Test func aPhotoPreparedOnOneThreadIsReusedByEveryThread() async throws {
        let renderer = StudioRendererTests.renderer
        let look = try #require(StudioLook.named("corporate-grey"))
        let references = try await StudioRendererTests.referenceCache.get()
        let source = StudioSource(id: 9_090, jpeg: try Fixture.bytes("faces/person-a/img4.jpg"))
        let first = try await renderer.render(source, look: look, variation: StudioVariation(framing: .closeUp), references: references)
        #expect(first.times.includesPhotoWork, "the first headshot of the photo prepares it")
        let later = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<(renderer.threadCount * 3) {
                group.addTask {
                    let variation = StudioVariation(framing: index % 2 == 0 ? .closeUp : .tight, lightSide: index % 3 == 0 ? -1 : 1)
                    return try await renderer.render(source, look: look, variation: variation, references: references).times.includesPhotoWork
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(later.filter { $0 }.count == 0, "prepared again by \(later.filter { $0 }.count) of \(later.count) headshots")
    }

    @Test func aPictureReCroppedByAFewPercentOrRepeatedIsATwin() async throws {
        let headshot = try await Self.render("faces/person-a/img1.jpg", StudioVariation(framing: .closeUp))
        #expect(try Likeness(jpeg: headshot.jpeg).similarity(to: headshot.likeness) > 0.97)
        for share in [0.02, 0.04, 0.06] {
            let similarity = try Self.recropped(headshot.jpeg, by: share).similarity(to: headshot.likeness)
            print("recrop \(share): \(similarity)")
            #expect(similarity >= Likeness.threshold, "re-cropped by \(Int(share * 100)) %: \(similarity)")
        }
        for (name, variation) in [("other side", StudioVariation(framing: .closeUp, lightSide: -1)),
                                  ("contrasty", StudioVariation(framing: .closeUp, contrasty: true)),
                                  ("other side contrasty spot", StudioVariation(framing: .closeUp, lightSide: -1, contrasty: true, tone: 1, spot: -1, seed: 9)),
                                  ("tone", StudioVariation(framing: .closeUp, tone: 1, spot: 1, seed: 3))] {
            let other = try await Self.render("faces/person-a/img1.jpg", variation)
            print("\(name): \(other.likeness.similarity(to: headshot.likeness))")
        }
        let stranger = try await Self.render("faces/person-a/img7.jpg", StudioVariation(framing: .closeUp))
        #expect(stranger.likeness.similarity(to: headshot.likeness) < Likeness.threshold)
    }
}

extension StudioVarietyTests {
    /// img5 and img6 end just below the shoulders, and img5's dress is cut by its right edge: every
    /// framing the plan gives them keeps the person inside the photo wherever the frame shows
    /// them, so nothing is repeated or faded, and the body leaves the frame at its bottom edge.
    @Test(arguments: ["faces/person-a/img5.jpg", "faces/person-a/img6.jpg"])
    func noPlannedFramingRepeatsOrFadesThePhotosEdge(_ photo: String) async throws {
        let inspected = try await inspector.inspect(try Fixture.bytes(photo))
        let face = try #require(inspected.report.faceBox)
        let planned = PlanPhoto(width: Double(inspected.report.width), height: Double(inspected.report.height), face: face).framings
        #expect(!planned.isEmpty)
        for framing in planned {
            for side in [1.0, -1.0] {
                let headshot = try await Self.render(photo, StudioVariation(framing: framing, lightSide: side), look: "corporate-grey")
                #expect(headshot.personPastEdge == 0, "\(photo) \(framing.rawValue): \(headshot.personPastEdge)")
                StudioRendererTests.artifact("edge-\(photo.split(separator: "/").last!)-\(framing.rawValue).png", try ContactSheet.png([headshot.jpeg], across: 1, cellWidth: 400))
            }
        }
    }
}

/// The plan, for many orders (seeds) and both package sizes: every planned headshot of a style is
/// another photo or framing, the spares are other ones again, styles take turns, and the count is
/// the package's whenever the photos give enough different pictures.
@Suite struct StudioPlanTests {
    /// Eight photos like person-a's: three allow four framings, one six, the rest one or two.
    static let photos: [PlanPhoto] = [
        [.closeUp, .tight, .tightLeft, .tightRight], [.tight], [.tight, .tightRight],
        [.closeUp, .closeUpLeft, .closeUpRight, .tight, .tightLeft, .tightRight], [.tight, .tightLeft, .tightRight], [.tight], [.tight],
        [.closeUp, .tight, .tightLeft, .tightRight],
    ].map { PlanPhoto(width: 1000, height: 1250, face: ImageRect(x: 300, y: 300, width: 400, height: 400), framings: $0) }

    @Test(arguments: [(40, 3), (100, 5)])
    func everyPlannedHeadshotOfAStyleIsADifferentPicture(_ count: Int, _ styleCount: Int) {
        let styles = Array(StudioLook.all.prefix(styleCount).map(\.id))
        for seed in 0..<50 as Range<UInt64> {
            let plan = StudioPlan(photos: Self.photos, styles: styles, count: count, seed: seed)
            #expect(plan.distinctPerStyle == 22 && plan.deliverable == count && !plan.isShort)
            for (number, style) in styles.enumerated() {
                let planned = plan.shots.indices.filter { $0 % styleCount == number }.map { plan.shots[$0] }
                #expect(plan.shots.indices.allSatisfy { plan.style(of: $0) == styles[$0 % styleCount] })
                let looks = planned.map(\.look), spares = plan.spares[style, default: []].map(\.look)
                #expect(Set(looks).count == looks.count, "seed \(seed), \(style): a look planned twice")
                #expect(Set(spares).isDisjoint(with: looks) && Set(looks + spares).count == plan.distinctPerStyle)
                #expect(planned.allSatisfy { Self.photos[$0.photo].framings.contains($0.framing) }, "only framings the photo allows")
                #expect(planned.allSatisfy { StudioShot(code: $0.code) == $0 }, "the stored code reads back")
            }
        }
        // Another order, another plan.
        let a = StudioPlan(photos: Self.photos, styles: styles, count: count, seed: 1).shots
        let b = StudioPlan(photos: Self.photos, styles: styles, count: count, seed: 2).shots
        #expect(a.map(\.backdrop) != b.map(\.backdrop))
    }

    /// A Professional order's re-run of one whole style, and of three picked headshots in two styles:
    /// the style's unused pictures come first, then the delivered ones with the other light and a new
    /// backdrop; no re-made headshot is the shot it replaces.
    @Test func aRerunDrawsTheStylesUnseenPicturesFirstAndNeverRepeatsADeliveredShot() {
        let styles = Array(StudioLook.all.prefix(5).map(\.id))
        let original = StudioPlan(photos: Self.photos, styles: styles, count: 100, seed: 11)
        let style = styles[1]
        let delivered = original.shots.indices.filter { original.style(of: $0) == style }.map { original.shots[$0] }
        #expect(delivered.count == 20)
        let rerun = StudioPlan(rerunning: Array(repeating: style, count: 20), of: original, seed: 99)
        #expect(rerun.deliverable == 20 && rerun.shots.indices.allSatisfy { rerun.style(of: $0) == style })
        let unseen = original.spares[style, default: []].map(\.look)
        #expect(unseen.count == 2 && Array(rerun.shots.prefix(2).map(\.look)) == unseen, "the two pictures the style did not deliver come first")
        let codes = Set(delivered.map(\.code))
        #expect(rerun.shots.allSatisfy { !codes.contains($0.code) }, "never a delivered shot again")
        for shot in rerun.shots.dropFirst(2) {
            let before = delivered.first { $0.look == shot.look }
            #expect(before != nil && before?.light.fromLeft != shot.light.fromLeft && before?.backdrop != shot.backdrop)
        }
        #expect(Set(rerun.shots.map(\.look)).count == 20, "each re-made headshot another picture")

        let picked = [styles[0], styles[0], styles[3]]
        let some = StudioPlan(rerunning: picked, of: original, seed: 5)
        #expect(some.deliverable == 3 && (0..<3).map(some.style(of:)) == picked)
        #expect(some.spares[styles[0], default: []].count == 22 - 2 && some.spares[styles[3], default: []].count == 22 - 1, "the rest stay as spares")
    }

    @Test func photosThatCannotFillAPackageGiveWhatTheyCanAndSayHowManyMoreWouldDo() {
        let plan = StudioPlan(photos: Self.photos, styles: ["corporate-grey"], count: 100, seed: 7)
        #expect(plan.isShort && plan.deliverable == 22)
        #expect(StudioPlan.photosToAdd(count: 100, styles: 1, photos: 8, distinctPerStyle: 22) == 29, "78 more pictures at 2.75 a photo")
        #expect(StudioPlan.deliverable(count: 100, styles: 5, distinctPerStyle: 16) == 80)
        #expect(StudioPlan.deliverable(count: 41, styles: 3, distinctPerStyle: 13) == 39)
    }

    /// An order is rendered photo by photo, the threads on different photos at once, so each photo is
    /// prepared once and shared: every headshot once, the threads starting on different photos, and a
    /// photo's headshots one after another.
    @Test(arguments: [(40, 3, 8), (100, 5, 8), (100, 5, 16), (7, 1, 8)])
    func anOrdersHeadshotsAreDealtToTheThreadsPhotoByPhoto(count: Int, styles: Int, photos: Int) throws {
        let set = (0..<photos).map { Self.photos[$0 % Self.photos.count] }
        let plan = StudioPlan(photos: set, styles: Array(StudioLook.all.map(\.id).prefix(styles)), count: count, seed: 11)
        let shots = plan.shots
        let photo: @Sendable (Int) -> Int = { shots[$0].photo }
        let pending = Array(0..<plan.deliverable)
        let queue = StudioOrder.lanes(pending, photo: photo, count: 2)
        #expect(queue.sorted() == pending)
        if Set(pending.map(photo)).count > 1 { #expect(photo(queue[0]) != photo(queue[1]), "the two threads start on different photos") }
        // A photo's headshots follow one another: at most the other thread's headshot between two of them.
        var last: [Int: Int] = [:]
        for (position, index) in queue.enumerated() {
            if let before = last[photo(index)] { #expect(position - before <= 2, "photo \(photo(index)) at \(before) and \(position)") }
            last[photo(index)] = position
        }
    }
}
