
/// A photo that passed decoding: its report and the normalised JPEG (upright, sRGB, no metadata),
/// which is the only form of the upload that is ever stored.
public struct InspectedPhoto: Sendable {
    public var report: PhotoReport
    public var normalisedJPEG: [UInt8]
}

/// The quality gate: decodes, normalises and checks photos on the imaging engine's threads (each
/// with its own dlib session), so no blocking call ever runs on an event loop. Made by `ImagingEngine`.
public struct PhotoInspector: Sendable {
    public let limits: PhotoLimits
    /// Photos checked at the same time (one per engine thread).
    public var threadCount: Int { sessions.threadCount }
    private let sessions: SessionPool<ImagingSession>

    init(sessions: SessionPool<ImagingSession>, limits: PhotoLimits) {
        self.sessions = sessions
        self.limits = limits
    }

    /// Decodes, normalises and checks one upload. Throws `PhotoError` when the file is refused
    /// before any face check (its message and tip are meant for the person); any other error is an
    /// internal failure.
    /// A usable photo's report also says which framings the studio renderer can draw from it
    /// (`PhotoReport.framings`): what the order's plan counts on before anything is rendered.
    public func inspect(_ bytes: [UInt8]) async throws -> InspectedPhoto {
        try await sessions.run { session in
            let photo = try PhotoDecoder.decode(bytes, limits: self.limits)
            let measurements = try PhotoAnalyzer.measure(photo, session: session.faces)
            var report = PhotoReport(format: photo.format, measurements: measurements)
            if report.verdict != .fail, let landmarks = measurements.primary?.landmarks {
                report.framings = try StudioFramings.available(in: photo.image, landmarks: landmarks, segmenter: try session.segmenter())
                if let small = PhotoChecks.outputSize(measurements) { report.merge(small) }
            }
            return InspectedPhoto(report: report, normalisedJPEG: photo.jpeg)
        }
    }

    /// JPEG thumbnails of a normalised photo, one per long side (never enlarged), metadata stripped.
    public func thumbnails(of jpeg: [UInt8], longSides: [Int]) async throws -> [[UInt8]] {
        try await onPool { _ in try longSides.map { try ImageResizer.jpeg(jpeg, longSide: $0, enlarge: false) } }
    }

    /// The raw measurements behind a report (for calibrating thresholds).
    public func measure(_ bytes: [UInt8]) async throws -> FaceMeasurements {
        try await onPool { session in
            try PhotoAnalyzer.measure(try PhotoDecoder.decode(bytes, limits: self.limits), session: session)
        }
    }

    /// `inspect`, also reporting how long each stage took (for the benchmark).
    public func inspectTimed(_ bytes: [UInt8]) async throws -> (InspectedPhoto, StageTimes) {
        try await onPool { session in
            let clock = ContinuousClock()
            var times = StageTimes()
            let start = clock.now
            let photo = try PhotoDecoder.decode(bytes, limits: self.limits)
            times.decode = clock.now - start
            times.megapixels = Double(photo.originalWidth * photo.originalHeight) / 1_000_000
            let measurements = try PhotoAnalyzer.measure(photo, session: session, times: &times)
            let report = PhotoReport(format: photo.format, measurements: measurements)
            times.total = clock.now - start
            return (InspectedPhoto(report: report, normalisedJPEG: photo.jpeg), times)
        }
    }

    /// Runs `work` on one of the inspector's threads with a dlib session of its own.
    func onPool<T: Sendable>(_ work: @escaping @Sendable (FaceSession) throws -> T) async throws -> T {
        try await sessions.run { session in try work(session.faces) }
    }
}
