import Foundation

/// Turns measurements into findings. Pure: no image, no model, so every threshold is unit-testable.
/// Face checks only run when exactly one main face was found to check.
public enum PhotoChecks {
    public static func evaluate(_ m: FaceMeasurements) -> [Finding] {
        var findings = [resolution(m)]
        guard let face = m.primary else {
            findings.append(Finding(
                code: .noFace, verdict: .fail, score: 0,
                message: "We couldn't find a face in this photo.",
                tip: "Take a photo of yourself facing the camera, with your whole face visible and nothing covering it."
            ))
            return findings
        }
        findings.append(Finding(code: .noFace, verdict: .pass, score: 100, message: "A face was found.", tip: ""))
        findings.append(multipleFaces(m))
        findings.append(faceSize(m, face))
        findings.append(cutOff(face))
        findings.append(sharpness(face))
        findings += light(face)
        findings.append(pose(face))
        findings.append(eyes(face))
        return findings
    }

    /// Photos below `Thresholds.minimumShortSide` never get here (the decoder refuses them with the
    /// same code); above it, detail is judged on the face itself by `faceSize`, so this passes with a
    /// score that grows with the photo's size.
    static func resolution(_ m: FaceMeasurements) -> Finding {
        let side = Double(min(m.imageWidth, m.imageHeight))
        let score = Int(min(100, 70 + 30 * (side - Double(Thresholds.minimumShortSide)) / 724))
        return Finding(code: .lowResolution, verdict: .pass, score: score,
                       message: "The photo is \(m.imageWidth)×\(m.imageHeight) pixels, enough to work with.", tip: "")
    }

    /// The portrait download's size (1080 × 1350): a photo whose close-up falls below it is warned about.
    public static let portraitSize = (width: 1080, height: 1350)

    /// A warning when the photo is too small for our portrait size: the studio renderer's close-up of
    /// it, at the size the photo allows (never enlarged more than 1.5×), is smaller than 1080 × 1350
    /// (full size is 1600 × 2000). Nil when it is not (the resolution finding stands). Upload-only: a
    /// headshot made from a small photo is small by design, not a fault of the headshot.
    static func outputSize(_ m: FaceMeasurements) -> Finding? {
        guard let landmarks = m.primary?.landmarks, landmarks.count == 68 else { return nil }
        let closeUp = Framing(landmarks: landmarks, headShare: ShotFraming.closeUp.headShare)
        guard closeUp.height < portraitSize.height else { return nil }
        return Finding(
            code: .lowResolution, verdict: .warn, score: 70,
            message: "Headshots from this photo will be about \(closeUp.width) × \(closeUp.height) pixels, smaller than our portrait size (\(portraitSize.width) × \(portraitSize.height); full size is \(Framing.maxWidth) × \(Framing.maxHeight)).",
            tip: "For full-size headshots, upload the original photo from your phone or camera (not a copy from a messaging app or social network), or take one a little closer."
        )
    }

    static func multipleFaces(_ m: FaceMeasurements) -> Finding {
        guard let main = m.faces.first else { return Finding(code: .multipleFaces, verdict: .pass, score: 100, message: "", tip: "") }
        let others = m.faces.dropFirst()
        let largestOther = others.map { $0.box.width / main.box.width }.max() ?? 0
        if largestOther >= Thresholds.secondFaceRelativeWidth {
            return Finding(
                code: .multipleFaces, verdict: .fail, score: 0,
                message: "There are \(m.faces.count) people in this photo; we need photos of just you.",
                tip: "Use a photo where you are the only person, or crop the others out before uploading."
            )
        }
        if !others.isEmpty {
            return Finding(
                code: .multipleFaces, verdict: .warn, score: 70,
                message: "Someone else is visible in the background.",
                tip: "It can work, but a photo with only you in it gives better results."
            )
        }
        return Finding(code: .multipleFaces, verdict: .pass, score: 100, message: "You are the only person in the photo.", tip: "")
    }

    static func faceSize(_ m: FaceMeasurements, _ face: FaceMeasurements.PrimaryFace) -> Finding {
        let fraction = face.width / Double(min(m.imageWidth, m.imageHeight))
        let tip = "Hold the camera closer (about an arm's length) so your face fills more of the picture."
        if fraction < Thresholds.faceFractionFail || face.width < Thresholds.facePixelsFail {
            return Finding(code: .faceTooSmall, verdict: .fail, score: Int(100 * fraction / Thresholds.faceFractionWarn / 2),
                           message: "Your face is too small in this photo.", tip: tip)
        }
        if fraction < Thresholds.faceFractionWarn || face.width < Thresholds.facePixelsWarn {
            return Finding(code: .faceTooSmall, verdict: .warn, score: 65,
                           message: "Your face is a bit small in this photo.", tip: tip)
        }
        return Finding(code: .faceTooSmall, verdict: .pass, score: 100, message: "Your face is a good size.", tip: "")
    }

    static func cutOff(_ face: FaceMeasurements.PrimaryFace) -> Finding {
        let o = face.overflow
        var parts: [String] = []
        if o.forehead > Thresholds.cutOffFail { parts.append("forehead") }
        if o.chin > Thresholds.cutOffFail { parts.append("chin") }
        if o.left > Thresholds.cutOffFail || o.right > Thresholds.cutOffFail { parts.append("ears") }
        if !parts.isEmpty || o.landmarksOutside > 0 {
            let what = parts.isEmpty ? "part of your face" : "your " + list(parts)
            return Finding(code: .headCutOff, verdict: .fail, score: 10,
                           message: "Your head is cut off: \(what) is outside the picture.",
                           tip: "Step back or hold the camera further away so your whole head, from hair to chin, fits with some space around it.")
        }
        if o.crown > Thresholds.crownWarn {
            return Finding(code: .headCutOff, verdict: .warn, score: 70,
                           message: "The top of your head is cut off.",
                           tip: "Leave a little space above your hair so the headshot can be framed well.")
        }
        return Finding(code: .headCutOff, verdict: .pass, score: 100, message: "Your whole head is in the picture.", tip: "")
    }

    static func sharpness(_ face: FaceMeasurements.PrimaryFace) -> Finding {
        let value = face.sharpness
        let score = Int(min(100, 100 * value / (2 * Thresholds.sharpnessWarn)))
        let tip = "Hold the phone still (or lean on something), tap your face on the screen to focus, and make sure the lens is clean."
        if value < Thresholds.sharpnessFail {
            return Finding(code: .blurry, verdict: .fail, score: score, message: "The photo is blurry.", tip: tip)
        }
        if value < Thresholds.sharpnessWarn {
            return Finding(code: .blurry, verdict: .warn, score: score, message: "The photo is a little soft.", tip: tip)
        }
        return Finding(code: .blurry, verdict: .pass, score: max(score, 80), message: "The photo is sharp.", tip: "")
    }

    static func light(_ face: FaceMeasurements.PrimaryFace) -> [Finding] {
        let l = face.lighting
        var findings: [Finding] = []
        let darkTip = "Face a window or a lamp so light falls on your face, and avoid standing with a bright light behind you."
        if l.mean < Thresholds.darkMeanFail || l.darkFraction > Thresholds.shadowClippedFail {
            findings.append(Finding(code: .tooDark, verdict: .fail, score: Int(l.mean / Thresholds.darkMeanWarn * 50),
                                    message: "Your face is too dark to see clearly.", tip: darkTip))
        } else if l.mean < Thresholds.darkMeanWarn || l.darkFraction > Thresholds.shadowClippedWarn {
            findings.append(Finding(code: .tooDark, verdict: .warn, score: 65, message: "Your face is a little dark.", tip: darkTip))
        } else {
            findings.append(Finding(code: .tooDark, verdict: .pass, score: 100, message: "Your face is well lit.", tip: ""))
        }

        let brightTip = "Move out of direct sunlight or away from a flash; soft daylight from a window works best."
        if l.mean > Thresholds.brightMeanFail || l.brightFraction > Thresholds.highlightClippedFail {
            findings.append(Finding(code: .overexposed, verdict: .fail, score: Int((255 - l.mean) / (255 - Thresholds.brightMeanWarn) * 50),
                                    message: "The photo is overexposed: parts of your face are washed out.", tip: brightTip))
        } else if l.mean > Thresholds.brightMeanWarn || l.brightFraction > Thresholds.highlightClippedWarn {
            findings.append(Finding(code: .overexposed, verdict: .warn, score: 65,
                                    message: "Some of your face is very bright.", tip: brightTip))
        } else {
            findings.append(Finding(code: .overexposed, verdict: .pass, score: 100, message: "No part of your face is washed out.", tip: ""))
        }

        let brighter = max(l.leftMean, l.rightMean, 1)
        let imbalance = abs(l.leftMean - l.rightMean) / brighter
        let unevenTip = "Turn so the light falls evenly on both sides of your face, for example facing a window."
        if imbalance > Thresholds.unevenFail {
            findings.append(Finding(code: .unevenLighting, verdict: .fail, score: Int(100 * (1 - imbalance)),
                                    message: "One side of your face is in deep shadow.", tip: unevenTip))
        } else if imbalance > Thresholds.unevenWarn {
            findings.append(Finding(code: .unevenLighting, verdict: .warn, score: Int(100 * (1 - imbalance)),
                                    message: "One side of your face is noticeably darker.", tip: unevenTip))
        } else {
            findings.append(Finding(code: .unevenLighting, verdict: .pass, score: 100, message: "The light on your face is even.", tip: ""))
        }
        return findings
    }

    static func pose(_ face: FaceMeasurements.PrimaryFace) -> Finding {
        let yaw = abs(face.pose.yaw), pitch = abs(face.pose.pitch)
        let tip = "Look straight into the camera with your head level; keep the phone at eye height."
        let direction = yaw / Thresholds.yawFail >= pitch / Thresholds.pitchFail ? "turned to the side" : (face.pose.pitch > 0 ? "tilted down" : "tilted up")
        if yaw > Thresholds.yawFail || pitch > Thresholds.pitchFail {
            return Finding(code: .headTurned, verdict: .fail, score: 20,
                           message: "Your head is \(direction) too far (about \(Int(max(yaw, pitch).rounded()))°).", tip: tip)
        }
        if yaw > Thresholds.yawWarn || pitch > Thresholds.pitchWarn {
            return Finding(code: .headTurned, verdict: .warn, score: 65,
                           message: "Your head is \(direction) a little (about \(Int(max(yaw, pitch).rounded()))°).", tip: tip)
        }
        return Finding(code: .headTurned, verdict: .pass, score: 100, message: "You are facing the camera.", tip: "")
    }

    static func eyes(_ face: FaceMeasurements.PrimaryFace) -> Finding {
        let ratio = face.eyeAspectRatio
        let tip = "Keep your eyes open and look at the lens; take a few shots and pick one where you didn't blink."
        if ratio < Thresholds.eyesClosedFail {
            return Finding(code: .eyesClosed, verdict: .fail, score: 10, message: "Your eyes look closed.", tip: tip)
        }
        if ratio < Thresholds.eyesClosedWarn {
            return Finding(code: .eyesClosed, verdict: .warn, score: 60, message: "Your eyes look half closed.", tip: tip)
        }
        return Finding(code: .eyesClosed, verdict: .pass, score: 100, message: "Your eyes are open.", tip: "")
    }

    /// Overall 0–100 score: the mean of the checks' scores, capped at 49 when any check fails and at
    /// 79 when any warns, so the number never contradicts the verdict.
    static func overall(_ findings: [Finding]) -> (Verdict, Int) {
        let verdict = findings.map(\.verdict).max() ?? .pass
        let mean = findings.isEmpty ? 0 : findings.map(\.score).reduce(0, +) / findings.count
        switch verdict {
        case .fail: return (.fail, min(mean, 49))
        case .warn: return (.warn, min(mean, 79))
        case .pass: return (.pass, max(mean, 80))
        }
    }

    private static func list(_ parts: [String]) -> String {
        parts.count <= 1 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}
