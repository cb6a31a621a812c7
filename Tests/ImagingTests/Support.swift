import Foundation
import Testing
@testable import Imaging

/// Paths into Tests/Fixtures (see its README for what each photo shows and where it comes from).
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let packageRoot = root.deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).sorted().map { folder + "/" + $0 }
    }

    static var personA: [String] { (try? files(in: "faces/person-a")) ?? [] }

    /// The face models, from MODELS_DIR or the checkout's models/ folder (scripts/models.sh).
    static let models = FaceModelFiles(
        directory: ProcessInfo.processInfo.environment["MODELS_DIR"] ?? packageRoot.appendingPathComponent("models").path
    )
}

/// One imaging engine for the whole test process: loading dlib's models takes about a second.
let engine: ImagingEngine = {
    do { return try ImagingEngine(models: Fixture.models, threads: 2) } catch {
        fatalError("face models are needed for the imaging tests: \(error)")
    }
}()

let inspector = engine.inspector

/// Files derived from fixtures inside the tests, so each case says exactly how it was made.
enum Derived {
    /// Decodes a fixture into the normalised form the checks see.
    static func image(_ fixture: String) throws -> VipsImage {
        try VipsImage.decodeNormalised(try Fixture.bytes(fixture), maxSide: 4096, timeLimit: 30)
    }

    static func jpeg(_ image: VipsImage) throws -> [UInt8] { try image.jpeg(quality: 92) }

    static func blurred(_ fixture: String, sigma: Double) throws -> [UInt8] {
        try jpeg(try image(fixture).gaussianBlurred(sigma: sigma))
    }

    /// Every pixel × factor + offset, clamped.
    static func exposed(_ fixture: String, factor: Double, offset: Double) throws -> [UInt8] {
        try jpeg(try image(fixture).linear(factor: factor, offset: offset))
    }
}

/// Expects `inspect` to refuse the bytes with a `PhotoError` whose code is `code`.
func expectRefusal(_ bytes: [UInt8], _ code: String, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        let result = try await inspector.inspect(bytes)
        Issue.record("\(comment): accepted with verdict \(result.report.verdict)", sourceLocation: sourceLocation)
    } catch let error as PhotoError {
        #expect(error.code == code, "\(comment): \(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty && !error.tip.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(comment): failed with a non-photo error \(error)", sourceLocation: sourceLocation)
    }
}
