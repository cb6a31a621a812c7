import Foundation
import Testing
@testable import Imaging

/// The quality gate's verdicts on real photos and on copies made worse in known ways.
@Suite struct QualityGateFixtureTests {
    func report(_ bytes: [UInt8]) async throws -> PhotoReport { try await inspector.inspect(bytes).report }

    func verdict(of code: CheckCode, in report: PhotoReport) -> Verdict? { report.finding(code)?.verdict }

    /// The three smallest (img5, img10, img11) are usable but warned: their close-ups fall below the
    /// portrait size, so the person is told the real size and how to get a full-size one.
    static let smallPersonA: Set<String> = ["img5", "img10", "img11"].map { "faces/person-a/\($0).jpg" }.reduce(into: []) { $0.insert($1) }

    @Test func everyPersonAPhotoIsUsableTheSmallOnesWarnedAndTogetherTheyFormAReadySet() async throws {
        let files = try Fixture.personA.map { (id: $0, bytes: try Fixture.bytes($0)) }
        #expect(files.count == 8)
        let result = await inspector.checkSet(files)
        for photo in result.photos {
            if Self.smallPersonA.contains(photo.id) {
                #expect(photo.verdict == .warn && photo.report?.problems.map(\.code) == [.lowResolution], "\(photo.id)")
                let finding = photo.report?.finding(.lowResolution)
                #expect(finding?.message.contains("smaller than our portrait size (1080 × 1350") == true && finding?.tip.contains("original photo") == true)
            } else {
                #expect(photo.verdict == .pass, "\(photo.id): \(photo.report?.problems.map(\.message) ?? [])")
            }
            #expect(photo.report?.faceBox != nil && photo.report?.landmarks?.count == 68)
            #expect(photo.report?.descriptor?.count == 128)
        }
        #expect(result.setReport.ready && result.everyPhotoReady)
        #expect(result.setReport.accepted == 8)
    }

    @Test func heicAndRGBAPNGAreDecodedAndChecked() async throws {
        let heic = try await report(try Fixture.bytes("faces/heic/img6.heic"))
        #expect(heic.format == .heic && heic.verdict == .pass && heic.width == 750 && heic.height == 1050)
        let rgba = try await report(try Fixture.bytes("faces/singles/obama-32bit.png"))
        #expect(rgba.format == .png && rgba.faceBox != nil && rgba.verdict != .fail)
    }

    @Test(arguments: ["faces/groups/couple.jpg", "faces/groups/selfie-many-people.jpg", "faces/groups/t1.jpg"])
    func groupPhotosFailOnMultipleFaces(fixture: String) async throws {
        #expect(verdict(of: .multipleFaces, in: try await report(try Fixture.bytes(fixture))) == .fail)
    }

    @Test(arguments: ["faces/partial/obama_partial_face.jpg", "faces/partial/obama_partial_face2.jpg"])
    func faceCutByTheFrameFailsOnHeadCutOff(fixture: String) async throws {
        #expect(verdict(of: .headCutOff, in: try await report(try Fixture.bytes(fixture))) == .fail)
    }

    @Test(arguments: ["no-face/chelsea.png", "no-face/coffee.png", "no-face/rocket.jpg"])
    func photosWithoutAFaceFailOnNoFace(fixture: String) async throws {
        let result = try await report(try Fixture.bytes(fixture))
        #expect(result.verdict == .fail && verdict(of: .noFace, in: result) == .fail && result.faceBox == nil)
    }

    @Test(arguments: ["faces/person-a/img1.jpg", "faces/person-a/img6.jpg", "faces/person-a/img10.jpg"])
    func aGaussianBlurredCopyFailsAsBlurry(fixture: String) async throws {
        // σ = 4 px: a blur anyone would see at full size; the original passes the same check.
        #expect(verdict(of: .blurry, in: try await report(try Fixture.bytes(fixture))) == .pass)
        #expect(verdict(of: .blurry, in: try await report(try Derived.blurred(fixture, sigma: 4))) == .fail)
    }

    @Test(arguments: ["faces/person-a/img1.jpg", "faces/person-a/img7.jpg"])
    func aDarkenedCopyFailsAsTooDark(fixture: String) async throws {
        // Every pixel at 30 % of its value: an underexposed indoor shot.
        let result = try await report(try Derived.exposed(fixture, factor: 0.3, offset: 0))
        #expect(verdict(of: .tooDark, in: result) == .fail)
        #expect(verdict(of: .overexposed, in: result) == .pass)
    }

    @Test(arguments: ["faces/person-a/img1.jpg", "faces/person-a/img7.jpg"])
    func aBlownOutCopyFailsAsOverexposed(fixture: String) async throws {
        // ×1.8 + 60: most of the face clips to white, like a photo into the sun or with a close flash.
        let result = try await report(try Derived.exposed(fixture, factor: 1.8, offset: 60))
        #expect(verdict(of: .overexposed, in: result) == .fail)
        #expect(verdict(of: .tooDark, in: result) == .pass)
    }

    @Test func aThumbnailSizedPhotoIsRefusedAsTooSmall() async throws {
        await expectRefusal(try Fixture.bytes("faces/singles/Tom_Hanks_54745.png"), "low_resolution", "112×112 crop")
    }

    @Test func aStrangerInTheSetIsFlaggedAsADifferentPerson() async throws {
        var files = try Fixture.personA.map { (id: $0, bytes: try Fixture.bytes($0)) }
        files.insert((id: "obama", bytes: try Fixture.bytes("faces/singles/obama.jpg")), at: 3)
        let result = await inspector.checkSet(files)
        for photo in result.photos {
            let flagged = photo.report?.finding(.differentPerson)?.verdict == .fail
            #expect(flagged == (photo.id == "obama"), "\(photo.id)")
        }
        #expect(result.setReport.accepted == 8 && !result.everyPhotoReady)
    }

    @Test func theSamePhotoTwiceIsFlaggedAsADuplicate() async throws {
        let bytes = try Fixture.bytes("faces/person-a/img2.jpg")
        // The second copy is re-encoded, as a phone does when a photo is shared and saved again.
        let copy = try Derived.jpeg(try Derived.image("faces/person-a/img2.jpg"))
        let result = await inspector.checkSet([(id: "first", bytes: bytes), (id: "again", bytes: bytes), (id: "re-saved", bytes: copy)])
        #expect(result.photos[0].report?.finding(.duplicate) == nil)
        #expect(result.photos[1].report?.finding(.duplicate)?.verdict == .fail)
        #expect(result.photos[2].report?.finding(.duplicate)?.verdict == .fail)
        #expect(result.photos[1].report?.finding(.duplicate)?.message.contains("first") == true)
    }

    @Test func differentPhotosOfOnePersonAreNotDuplicates() async throws {
        let files = try ["faces/person-a/img1.jpg", "faces/person-a/img6.jpg", "faces/heic/img6.heic"].map { (id: $0, bytes: try Fixture.bytes($0)) }
        let result = await inspector.checkSet(files)
        #expect(result.photos[1].report?.finding(.duplicate) == nil)
        // img6.heic is the same shot as img6.jpg, re-encoded by libheif: a duplicate.
        #expect(result.photos[2].report?.finding(.duplicate)?.verdict == .fail)
    }
}
