import Foundation
import HeadshotTestSupport
import Testing
@testable import HeadshotCore

@Suite("Remote presets file") struct RemotePresetsTests {
    static let known = StylePreset.allCases.map(\.rawValue)

    @Test func theDocumentedExampleReadsAndFillsItsPlaceholders() throws {
        let path = TestPaths.packageRoot.appendingPathComponent("docs/remote-presets.example.json").path
        let presets = try RemotePresets.load(path: path, knownPresets: Self.known)
        #expect(presets.remotePresets == ["corporate-grey", "executive-navy"])
        #expect(presets.backend(of: "modern-office") == .studio && presets.backend(of: "bright-white") == .studio, "unnamed presets stay with the studio")
        #expect(presets.presets["executive-navy"]?.target == .model(owner: "example-owner", name: "pulid-headshots"))
        #expect(presets.pricePerSecond == 0.001525 && presets.maxConcurrent == 4 && presets.deadline == 300 && presets.references == .signedURLs)
        let input = presets.input(for: "corporate-grey", references: ["https://h.example/r/1", "https://h.example/r/2"], seed: 42, outputs: 4)
        #expect(input["image"] == .string("https://h.example/r/1") && input["seed"] == .number(42) && input["num_outputs"] == .number(4))
        #expect(input["ip_adapter_scale"] == .number(0.8) && input["prompt"] == presets.presets["corporate-grey"]?.input["prompt"])
    }

    @Test func everyProblemIsReportedWithItsKey() {
        let file = #"""
        {"provider": {"price_per_second": -1, "references": "ftp", "colour": 1},
         "presets": {"corporate-grey": {"backend": "remote", "model": "acme", "outputs_per_prediction": 12, "input": {"prompt": "no face", "x": "{{nonsense}}"}},
                     "mauve-dream": {"backend": "remote"},
                     "bright-white": {"backend": "gpu"}}}
        """#
        do {
            _ = try RemotePresets.parse(Array(file.utf8), source: "test.json", knownPresets: Self.known)
            Issue.record("an invalid file was accepted")
        } catch let invalid as RemotePresets.Invalid {
            let text = invalid.description
            for key in ["provider.price_per_second", "provider.references", "provider.colour", "presets.corporate-grey.model",
                        "presets.corporate-grey.outputs_per_prediction", "needs a reference photo", "unknown placeholder {{nonsense}}",
                        "presets.mauve-dream: not a preset", "presets.bright-white.backend"] {
                #expect(text.contains(key), "\(key) missing from:\n\(text)")
            }
            #expect(invalid.problems.allSatisfy { $0.hasPrefix("REMOTE_PRESETS (test.json): ") })
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: RemotePresets.Invalid.self) { try RemotePresets.parse(Array("[1]".utf8), source: "t", knownPresets: Self.known) }
        #expect(throws: RemotePresets.Invalid.self) { try RemotePresets.load(path: "/nonexistent/presets.json", knownPresets: Self.known) }
    }
}
