import Testing
@testable import Imaging

/// The verdict rules on measurements alone, for the checks no fixture triggers (closed eyes, a
/// turned head, one-sided light) and for the edges of each threshold.
@Suite struct CheckThresholdTests {
    /// A frontal, sharp, evenly lit 400 px face in a 1200×1500 photo: passes everything.
    static func measurements(_ change: (inout FaceMeasurements.PrimaryFace) -> Void = { _ in }) -> FaceMeasurements {
        var face = FaceMeasurements.PrimaryFace(
            box: ImageRect(x: 300, y: 300, width: 400, height: 400),
            landmarks: Array(repeating: ImagePoint(x: 500, y: 500), count: 68),
            width: 400,
            overflow: .init(forehead: -0.5, crown: -0.2, chin: -0.8, left: -0.4, right: -0.4, landmarksOutside: 0),
            sharpness: 80,
            lighting: .init(mean: 140, darkFraction: 0.02, brightFraction: 0, leftMean: 140, rightMean: 135),
            pose: .init(yaw: 2, pitch: -3, roll: 1),
            eyeAspectRatio: 0.3,
            descriptor: Array(repeating: 0, count: 128)
        )
        change(&face)
        return FaceMeasurements(
            imageWidth: 1200, imageHeight: 1500,
            faces: [.init(box: face.box, confidence: 2)], primary: face, imageHash: 0, borderColour: [0, 0, 0]
        )
    }

    func verdict(_ code: CheckCode, _ m: FaceMeasurements) -> Verdict? {
        PhotoChecks.evaluate(m).first { $0.code == code }?.verdict
    }

    @Test func aGoodPhotoPassesEveryCheckWithAFullScore() {
        let findings = PhotoChecks.evaluate(Self.measurements())
        #expect(findings.allSatisfy { $0.verdict == .pass })
        #expect(PhotoChecks.overall(findings) == (.pass, 100))
        #expect(findings.allSatisfy { $0.score == 100 })
        #expect(Set(findings.map(\.code)) == Set(CheckCode.allCases.filter { ![.differentPerson, .duplicate, .lowVariety].contains($0) }))
    }

    @Test func closedEyesFailAndHalfClosedEyesWarn() {
        #expect(verdict(.eyesClosed, Self.measurements { $0.eyeAspectRatio = 0.1 }) == .fail)
        #expect(verdict(.eyesClosed, Self.measurements { $0.eyeAspectRatio = 0.17 }) == .warn)
    }

    @Test func aHeadTurnedPastThirtyDegreesFails() {
        #expect(verdict(.headTurned, Self.measurements { $0.pose.yaw = -35 }) == .fail)
        #expect(verdict(.headTurned, Self.measurements { $0.pose.yaw = 25 }) == .warn)
        #expect(verdict(.headTurned, Self.measurements { $0.pose.pitch = 33 }) == .fail)
        let message = PhotoChecks.evaluate(Self.measurements { $0.pose.yaw = -35 }).first { $0.code == .headTurned }?.message
        #expect(message?.contains("35°") == true)
    }

    @Test func oneSideOfTheFaceInShadowIsUnevenLighting() {
        #expect(verdict(.unevenLighting, Self.measurements { $0.lighting.leftMean = 160; $0.lighting.rightMean = 60 }) == .fail)
        #expect(verdict(.unevenLighting, Self.measurements { $0.lighting.leftMean = 160; $0.lighting.rightMean = 95 }) == .warn)
    }

    @Test func aSmallFaceWarnsThenFails() {
        #expect(verdict(.faceTooSmall, Self.measurements { $0.width = 180 }) == .warn)
        #expect(verdict(.faceTooSmall, Self.measurements { $0.width = 100 }) == .fail)
    }

    @Test func aCutOffForeheadFailsButATightCrownOnlyWarns() {
        #expect(verdict(.headCutOff, Self.measurements { $0.overflow.forehead = 0.05 }) == .fail)
        #expect(verdict(.headCutOff, Self.measurements { $0.overflow.crown = 0.4 }) == .warn)
        #expect(verdict(.headCutOff, Self.measurements { $0.overflow.landmarksOutside = 3 }) == .fail)
    }

    @Test func aSmallFaceBehindTheSubjectWarnsButASecondPersonFails() {
        var m = Self.measurements()
        m.faces.append(.init(box: ImageRect(x: 0, y: 0, width: 90, height: 90), confidence: 0.5))
        #expect(verdict(.multipleFaces, m) == .warn)
        m.faces[1].box.width = 300
        #expect(verdict(.multipleFaces, m) == .fail)
    }

    @Test func theScoreNeverContradictsTheVerdict() {
        let warned = PhotoChecks.evaluate(Self.measurements { $0.eyeAspectRatio = 0.17 })
        #expect(PhotoChecks.overall(warned).0 == .warn && PhotoChecks.overall(warned).1 < 80)
        let failed = PhotoChecks.evaluate(Self.measurements { $0.sharpness = 2 })
        #expect(PhotoChecks.overall(failed).0 == .fail && PhotoChecks.overall(failed).1 < 50)
    }

    @Test func everyProblemSaysHowToFixIt() {
        let bad = Self.measurements {
            $0.eyeAspectRatio = 0.1; $0.pose.yaw = 40; $0.sharpness = 1; $0.width = 90
            $0.lighting = .init(mean: 30, darkFraction: 0.6, brightFraction: 0.3, leftMean: 200, rightMean: 10)
            $0.overflow.chin = 0.2
        }
        let problems = PhotoChecks.evaluate(bad).filter { $0.verdict != .pass }
        #expect(problems.count >= 7)
        #expect(problems.allSatisfy { !$0.message.isEmpty && !$0.tip.isEmpty })
    }
}

@Suite struct SetEvaluatorTests {
    static func member(_ id: String, descriptor: Float, hash: UInt64 = 0, yaw: Double = 0, colour: Double = 100) -> SetMember {
        var m = CheckThresholdTests.measurements { $0.descriptor = [descriptor] + Array(repeating: 0, count: 127); $0.pose.yaw = yaw }
        m.imageHash = hash
        m.borderColour = [colour, colour, colour]
        return SetMember(id: id, report: PhotoReport(format: .jpeg, measurements: m))
    }

    @Test func aSetIsReadyWithEightToTwentyAcceptedPhotos() {
        let photos: [SetMember] = (0..<21).map { (index: Int) -> SetMember in
            let hash = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            return Self.member("p\(index)", descriptor: Float(index) * 0.01, hash: hash, yaw: Double(index), colour: Double(index * 10))
        }
        #expect(!SetEvaluator.evaluate(Array(photos.prefix(7))).ready)
        #expect(SetEvaluator.evaluate(Array(photos.prefix(8))).ready)
        #expect(SetEvaluator.evaluate(Array(photos.prefix(20))).ready)
        let tooMany = SetEvaluator.evaluate(photos)
        #expect(!tooMany.ready && tooMany.summary.contains("remove 1"))
    }

    @Test func photosAllAlikeGetAVarietyHint() {
        let alike: [SetMember] = (0..<8).map { (index: Int) -> SetMember in
            Self.member("p\(index)", descriptor: 0.01 * Float(index), hash: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
        }
        #expect(SetEvaluator.evaluate(alike).findings.first?.verdict == .warn)
        let varied: [SetMember] = (0..<8).map { (index: Int) -> SetMember in
            let yaw = Double(index * 4 - 14), colour = Double(index * 25)
            return Self.member("p\(index)", descriptor: 0.01 * Float(index), hash: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15, yaw: yaw, colour: colour)
        }
        #expect(SetEvaluator.evaluate(varied).findings.first?.verdict == .pass)
    }

    @Test func withTwoPhotosTheFirstSetsTheIdentity() {
        let result = SetEvaluator.evaluate([Self.member("me", descriptor: 0), Self.member("someone", descriptor: 0.9, hash: ~0)])
        #expect(result.photos[0].report.finding(.differentPerson)?.verdict == .pass)
        #expect(result.photos[1].report.finding(.differentPerson)?.verdict == .fail)
    }
}

/// The light figures are counted in one pass over the grey face: they are exactly what libvips'
/// own mean and threshold operations give on it (the thresholds were set on those).
@Suite struct LightingMeasureTests {
    @Test(arguments: ["faces/person-a/img1.jpg", "faces/person-a/img6.jpg", "faces/singles/obama.jpg"])
    func theOnePassLightFiguresEqualLibvipsOwn(photo: String) throws {
        let image = try VipsImage.decodeNormalised(try Fixture.bytes(photo), maxSide: 1600, timeLimit: 10).materialised()
        // A grey band through the middle of the photo, with dark and bright pixels in it.
        let region = PixelRect(x: image.width / 5, y: image.height / 4, width: image.width / 2, height: image.height / 3)
        let face = try image.cropped(to: region).greyscale().materialised()
        for split in [1.0, Double(face.width) / 3, Double(face.width - 1)] {
            let counted = try PhotoAnalyzer.lighting(of: face, splitX: split)
            let cut = Int(split)
            let left = try face.cropped(to: PixelRect(x: 0, y: 0, width: cut, height: face.height))
            let right = try face.cropped(to: PixelRect(x: cut, y: 0, width: face.width - cut, height: face.height))
            #expect(abs(counted.mean - (try face.mean())) < 1e-9)
            #expect(abs(counted.darkFraction - (try face.fraction(atMost: 20))) < 1e-9)
            #expect(abs(counted.brightFraction - (try face.fraction(atLeast: 250))) < 1e-9)
            #expect(abs(counted.leftMean - (try left.mean())) < 1e-9)
            #expect(abs(counted.rightMean - (try right.mean())) < 1e-9)
        }
    }
}
