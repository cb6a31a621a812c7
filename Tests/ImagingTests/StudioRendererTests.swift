import Foundation
import Testing
@testable import Imaging

/// The studio renderer on the person-a fixtures: every preset, the quality gate and identity guard
/// on each output, backdrop colours, monochrome, metadata.
@Suite(.serialized) struct StudioRendererTests {
    static let renderer: StudioRenderer = {
        do { return try StudioRenderer(models: Fixture.models, threads: 2) } catch { fatalError("renderer: \(error)") }
    }()

    static func references() async throws -> [[Float]] {
        var descriptors: [[Float]] = []
        for fixture in Fixture.personA { descriptors.append(try #require(try await inspector.inspect(try Fixture.bytes(fixture)).report.descriptor)) }
        return descriptors
    }

    static func artifact(_ name: String, _ bytes: [UInt8]) {
        let directory = ProcessInfo.processInfo.environment["ARTIFACTS_DIR"] ?? Fixture.packageRoot.appendingPathComponent("artifacts").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    @Test(arguments: StudioLook.all.map(\.id))
    func eachPresetRendersAHeadshotThatPassesTheGateAndIsStillThePerson(_ id: String) async throws {
        let look = try #require(StudioLook.named(id))
        let source = StudioSource(id: 1, jpeg: try Fixture.bytes("faces/person-a/img1.jpg"))
        let headshot = try await Self.renderer.render(source, look: look, variation: .number(0), references: try await Self.references())
        Self.artifact("studio-\(id).jpg", headshot.jpeg)
        print("\(id): \(headshot.width)×\(headshot.height) identity \(headshot.identityDistance) verdict \(headshot.report.verdict) \(headshot.report.findings.map(\.code)) total \(headshot.times.total)")
        #expect(headshot.report.verdict == .pass, "\(headshot.report.findings)")
        #expect(headshot.identityDistance <= 0.45)
    }
}
