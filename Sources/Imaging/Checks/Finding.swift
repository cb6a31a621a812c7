/// How a check came out. Ordered so the worst of several verdicts is their maximum.
public enum Verdict: String, Codable, Sendable, Comparable, CaseIterable {
    case pass, warn, fail

    private var rank: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}

/// Every check the quality gate runs, by its stable code (used by the API and the upload page).
public enum CheckCode: String, Codable, Sendable, CaseIterable {
    // Per photo.
    case noFace = "no_face"
    case multipleFaces = "multiple_faces"
    case faceTooSmall = "face_too_small"
    case headCutOff = "head_cut_off"
    case blurry
    case tooDark = "too_dark"
    case overexposed
    case unevenLighting = "uneven_lighting"
    case headTurned = "head_turned"
    case eyesClosed = "eyes_closed"
    case lowResolution = "low_resolution"
    // Across the set.
    case differentPerson = "different_person"
    case duplicate
    case lowVariety = "low_variety"
}

/// One check's outcome: a verdict, a 0–100 score (100 is ideal), a one-line message saying what
/// was found, and a tip saying how to retake the photo, both written for a non-technical person.
public struct Finding: Codable, Sendable, Equatable {
    public var code: CheckCode
    public var verdict: Verdict
    public var score: Int
    public var message: String
    public var tip: String

    public init(code: CheckCode, verdict: Verdict, score: Int, message: String, tip: String) {
        self.code = code
        self.verdict = verdict
        self.score = max(0, min(100, score))
        self.message = message
        self.tip = tip
    }
}
