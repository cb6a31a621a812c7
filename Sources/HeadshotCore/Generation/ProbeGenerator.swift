import Foundation
import Imaging

/// A deliberately trivial generator for exercising the queue (`GENERATOR=probe`, refused in
/// production): each "headshot" is a small flat grey JPEG made after a fixed pause. The crash test and
/// the queue benchmark run real workers with it, so what they measure is the queue, not rendering.
package struct ProbeGenerator: Generator {
    package let description = "queue probe (flat grey test images, not headshots)"
    package let perHeadshot: Duration

    package init(perHeadshot: Duration) {
        self.perHeadshot = perHeadshot
    }

    package func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        for index in work.pending {
            try await Task.sleep(for: perHeadshot)
            let jpeg = try ImageResizer.flatJPEG(width: 40, height: 50, grey: UInt8(64 + index % 128))
            try await output.deliver(Headshot(index: index, preset: work.preset(for: index)?.rawValue ?? "probe", jpeg: jpeg,
                                              width: 40, height: 50, identityDistance: nil, origin: .probe))
        }
    }
}
