/// One photo of an order's set, as the set checks see it. `id` is the caller's (an upload id, a file name).
public struct SetMember: Sendable {
    public var id: String
    public var report: PhotoReport

    public init(id: String, report: PhotoReport) {
        self.id = id
        self.report = report
    }
}

/// The set as a whole: each photo's report with the set findings merged in, whether it is ready
/// to order, and hints about the set (variety).
public struct SetReport: Sendable {
    public var photos: [SetMember]
    public var accepted: Int
    public var ready: Bool
    /// One line saying where the set stands ("11 good photos; 8–20 needed").
    public var summary: String
    public var findings: [Finding]
}

/// Checks that compare photos: someone else in the set, the same photo twice, and too little variety.
/// Order matters for duplicates: the later copy is the one flagged.
public enum SetEvaluator {
    public static func evaluate(_ members: [SetMember]) -> SetReport {
        var photos = members
        flagDifferentPeople(&photos)
        flagDuplicates(&photos)

        let accepted = photos.filter { $0.report.verdict != .fail }.count
        let range = Thresholds.minimumSetSize...Thresholds.maximumSetSize
        let summary: String
        if accepted < range.lowerBound {
            summary = "\(accepted) good \(accepted == 1 ? "photo" : "photos") of \(range.lowerBound)–\(range.upperBound) needed: add \(range.lowerBound - accepted) more."
        } else if accepted > range.upperBound {
            summary = "\(accepted) good photos: at most \(range.upperBound) are used; remove \(accepted - range.upperBound)."
        } else {
            summary = "\(accepted) good photos of \(range.lowerBound)–\(range.upperBound) needed: ready."
        }
        return SetReport(photos: photos, accepted: accepted, ready: range.contains(accepted), summary: summary,
                         findings: variety(photos.filter { $0.report.verdict != .fail }))
    }

    /// The set's identity is its medoid: the face with the smallest total distance to all others,
    /// which one stranger cannot move (a mean would drift towards them). Faces farther from it than
    /// dlib's same-person distance are someone else.
    static func flagDifferentPeople(_ photos: inout [SetMember]) {
        let withFaces = photos.indices.filter { photos[$0].report.descriptor != nil && photos[$0].report.finding(.noFace)?.verdict == .pass }
        guard withFaces.count >= 2 else { return }
        let descriptors = withFaces.map { photos[$0].report.descriptor! }
        let medoid: Int
        if withFaces.count == 2 {
            medoid = 0  // with two photos there is no majority: the first one sets the identity
        } else {
            medoid = descriptors.indices.min { a, b in
                descriptors.reduce(0) { $0 + distance(descriptors[a], $1) } < descriptors.reduce(0) { $0 + distance(descriptors[b], $1) }
            } ?? 0
        }
        for (position, index) in withFaces.enumerated() {
            let d = distance(descriptors[medoid], descriptors[position])
            if d > Thresholds.samePersonDistance {
                photos[index].report.merge(Finding(
                    code: .differentPerson, verdict: .fail, score: 0,
                    message: "This looks like a different person from the rest of your photos.",
                    tip: "Upload only photos of yourself; every photo in the set must show the same person."
                ))
            } else {
                photos[index].report.merge(Finding(
                    code: .differentPerson, verdict: .pass, score: 100, message: "Same person as the rest of the set.", tip: ""
                ))
            }
        }
    }

    static func flagDuplicates(_ photos: inout [SetMember]) {
        for later in photos.indices {
            guard let laterFace = photos[later].report.descriptor else { continue }
            let original = photos.indices.prefix(later).first { earlier in
                // A copy of a copy points at the first one.
                guard photos[earlier].report.finding(.duplicate) == nil, let face = photos[earlier].report.descriptor,
                      let earlierHash = photos[earlier].report.fingerprint?.imageHash,
                      let laterHash = photos[later].report.fingerprint?.imageHash else { return false }
                let bits = (earlierHash ^ laterHash).nonzeroBitCount
                return bits <= Thresholds.duplicateHashBits && distance(face, laterFace) < Thresholds.duplicateDistance
            }
            if let original {
                photos[later].report.merge(Finding(
                    code: .duplicate, verdict: .fail, score: 0,
                    message: "This is the same photo as \(photos[original].id).",
                    tip: "Use a different photo: variety (other days, outfits, places) makes better headshots."
                ))
            }
        }
    }

    /// A hint, never a failure: photos all alike in pose and background teach the renderer less.
    static func variety(_ accepted: [SetMember]) -> [Finding] {
        guard accepted.count >= 4 else { return [] }
        let yaws = accepted.compactMap { $0.report.fingerprint?.yaw }
        let colours = accepted.compactMap(\.report.fingerprint?.borderColour)
        let yawSpread = spread(yaws)
        let backgroundSpread = (0..<3).map { band in spread(colours.map { $0.count > band ? $0[band] : 0 }) }.max() ?? 0
        guard yawSpread < Thresholds.varietyYawSpread, backgroundSpread < Thresholds.varietyBackgroundSpread else {
            return [Finding(code: .lowVariety, verdict: .pass, score: 100, message: "Your photos have good variety.", tip: "")]
        }
        return [Finding(
            code: .lowVariety, verdict: .warn, score: 60,
            message: "Your photos look very alike: same pose and same background.",
            tip: "Mix it up: different places, outfits, times of day, and slight turns of your head."
        )]
    }

    /// Euclidean distance between two face descriptors (dlib: below 0.6 is the same person).
    public static func distance(_ a: [Float], _ b: [Float]) -> Double {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += (a[i] - b[i]) * (a[i] - b[i]) }
        return Double(sum.squareRoot())
    }

    /// Standard deviation.
    static func spread(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}
