/// The quality gate's verdict on one photo: what the upload page draws and the API returns.
public struct PhotoReport: Codable, Sendable, Equatable {
    public var verdict: Verdict
    /// 0–100; 80 and above pass, 50–79 pass with advice, below 50 fail.
    public var score: Int
    /// Every check that ran, passing ones included (the page shows them as ticks).
    public var findings: [Finding]
    public var format: ImageFormat
    /// Size of the normalised photo, in whose pixels the box and landmarks are given.
    public var width: Int
    public var height: Int
    public var faceBox: ImageRect?
    /// The 68 landmarks (iBUG 300-W order) of the main face. Biometric data: used while the photo is
    /// checked, never stored and never sent (`withoutBiometrics()` removes them).
    public var landmarks: [ImagePoint]?
    /// What the set checks compare between photos; nil for a render's output, never compared as a set.
    public var fingerprint: Fingerprint?
    /// The framings the studio renderer can draw from this photo without the person running out of
    /// it inside the frame (worked out on upload from the person's matte; nil in older reports).
    public var framings: [ShotFraming]?
    /// The 128-d face descriptor. Biometric data: kept server-side only, deleted with the photo,
    /// and removed by `withoutBiometrics()` before a report leaves the server.
    public var descriptor: [Float]?

    public struct Fingerprint: Codable, Sendable, Equatable {
        public var imageHash: UInt64
        public var borderColour: [Double]
        public var yaw: Double?
    }

    /// The findings that are not a pass: what the person has to act on.
    public var problems: [Finding] { findings.filter { $0.verdict != .pass } }

    /// The report without the face's geometry (landmarks) and descriptor: what is stored as findings and
    /// what leaves the server. The descriptor is stored apart, in a column erased with the photo.
    public func withoutBiometrics() -> PhotoReport {
        var copy = self
        copy.descriptor = nil
        copy.landmarks = nil
        return copy
    }

    public func finding(_ code: CheckCode) -> Finding? { findings.first { $0.code == code } }

    init(format: ImageFormat, measurements m: FaceMeasurements) {
        let findings = PhotoChecks.evaluate(m)
        let (verdict, score) = PhotoChecks.overall(findings)
        self.verdict = verdict
        self.score = score
        self.findings = findings
        self.format = format
        self.width = m.imageWidth
        self.height = m.imageHeight
        self.faceBox = m.primary?.box
        self.landmarks = m.primary?.landmarks
        if let hash = m.imageHash, let border = m.borderColour {
            self.fingerprint = Fingerprint(imageHash: hash, borderColour: border, yaw: m.primary?.pose.yaw)
        }
        self.descriptor = m.primary?.descriptor
    }

    /// Adds (or replaces) a finding from a check that looks at the whole set, updating the verdict.
    mutating func merge(_ finding: Finding) {
        findings.removeAll { $0.code == finding.code }
        findings.append(finding)
        (verdict, score) = PhotoChecks.overall(findings)
    }
}
