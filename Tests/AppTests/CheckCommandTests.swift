import Foundation
import HeadshotTestSupport
import Testing

/// `headshot check` and the models guard, run as the real executable the way an operator would.
@Suite("headshot check and the face-models guard") struct CheckCommandTests {
    static let packageRoot = TestPaths.packageRoot
    static let modelsDirectory = ProcessInfo.processInfo.environment["MODELS_DIR"] ?? packageRoot.appendingPathComponent("models").path

    static func fixture(_ path: String) -> String { packageRoot.appendingPathComponent("Tests/Fixtures/" + path).path }

    static var personA: [String] {
        ["img1", "img10", "img11", "img2", "img4", "img5", "img6", "img7"].map { fixture("faces/person-a/\($0).jpg") }
    }

    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs the `headshot` binary built beside this test bundle, killing it after `timeout` seconds. The
    /// wait happens on a thread of its own: a test blocked for the seconds a check takes on one of the
    /// two cooperative threads would starve every server under test meanwhile.
    static func headshot(_ arguments: [String], models: String = modelsDirectory, timeout: Double = 120) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, models: models, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], models: String, timeout: Double) throws -> Run {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("headshot")
        let dataDirectory = NSTemporaryDirectory() + "headshot-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["MODELS_DIR"] = models
        environment["DATA_DIR"] = dataDirectory
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read while it runs so a full pipe cannot block the child.
        let collected = OutputCollector(output: output, errors: errors)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let (stdout, stderr) = collected.finish()
        return Run(status: process.terminationStatus, output: stdout, errors: stderr)
    }

    @Test func checkPrintsATableAndExitsZeroForAValidSet() async throws {
        let run = try await Self.headshot(["check"] + Self.personA)
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        let rows = run.output.split(separator: "\n").filter { $0.contains("person-a/") }
        #expect(rows.count == 8)
        // The three small photos are usable with a warning that their headshots will be smaller than portrait size.
        let small = ["img5.jpg", "img10.jpg", "img11.jpg"]
        #expect(rows.allSatisfy { row in small.contains { row.contains($0) } ? row.contains(" warn ") && row.contains("low_resolution") : row.contains(" pass ") },
                "\(rows)")
        #expect(run.output.contains("FILE") && run.output.contains("VERDICT") && run.output.contains("ready"))
    }

    @Test func checkExitsOneWhenAGroupPhotoJoinsTheSet() async throws {
        let run = try await Self.headshot(["check"] + Self.personA + [Self.fixture("faces/groups/couple.jpg")])
        #expect(run.status == 1)
        let groupRow = run.output.split(separator: "\n").first { $0.contains("couple.jpg") }
        #expect(groupRow?.contains("fail") == true && groupRow?.contains("multiple_faces") == true)
    }

    @Test func checkJSONListsVerdictsAndNeverTheFaceDescriptor() async throws {
        let run = try await Self.headshot(["check", "--json", Self.fixture("faces/person-a/img2.jpg"), Self.fixture("no-face/rocket.jpg"),
                                     Self.fixture("faces/singles/Tom_Hanks_54745.png")])
        #expect(run.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(document["ready"] as? Bool == false)
        let photos = try #require(document["photos"] as? [[String: Any]])
        #expect(photos.map { $0["verdict"] as? String } == ["pass", "fail", "refused"])
        #expect((photos[2]["error"] as? [String: Any])?["code"] as? String == "low_resolution")
        let codes = (photos[1]["findings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.contains("no_face"))
        #expect(!run.output.contains("descriptor"))
    }

    @Test func serveRefusesToStartWithoutTheFaceModelsAndNamesThem() async throws {
        let empty = NSTemporaryDirectory() + "no-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let run = try await Self.headshot(["serve", "--port", "0"], models: empty, timeout: 60)
        #expect(run.status == 1)
        #expect(run.errors.contains("MODELS_DIR"))
        #expect(run.errors.contains("shape_predictor_68_face_landmarks.dat") && run.errors.contains("scripts/models.sh"))
    }
}

/// Drains a child's stdout and stderr on background threads.
final class OutputCollector: @unchecked Sendable {
    // @unchecked: each buffer is written by one reader thread and read only after `finish` joins it.
    private var output = Data(), errors = Data()
    private let group = DispatchGroup()

    init(output: Pipe, errors: Pipe) {
        group.enter()
        DispatchQueue.global().async { self.output = output.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        group.enter()
        DispatchQueue.global().async { self.errors = errors.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
    }

    func finish() -> (String, String) {
        group.wait()
        return (String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
