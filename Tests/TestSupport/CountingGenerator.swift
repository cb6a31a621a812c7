import Foundation
import HeadshotCore
import Imaging
import NIOConcurrencyHelpers

/// A real, trivial generator: each "headshot" is a few bytes naming its number, delivered through the
/// worker's sink, so the worker's handling of outputs, progress, failures and shutdown is tested
/// without the renderer.
package struct CountingGenerator: Generator {
    package let description = "counting test generator"
    package let made = NIOLockedValueBox<[UUID: Int]>([:])
    package var failFirst = 0
    package var reason = "We could not read your photos."
    package var pause: Duration = .zero
    package let attempts = NIOLockedValueBox(0)

    package init(failFirst: Int = 0, reason: String = "We could not read your photos.", pause: Duration = .zero) {
        self.failFirst = failFirst
        self.reason = reason
        self.pause = pause
    }

    package func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        let attempt = attempts.withLockedValue { $0 += 1; return $0 }
        if attempt <= failFirst { throw GenerationFailure(reason, code: "test_failure") }
        for index in work.pending {
            if pause > .zero { try await Task.sleep(for: pause) }
            made.withLockedValue { $0[work.jobID, default: 0] += 1 }
            try await output.deliver(Headshot(index: index, preset: work.preset(for: index)?.rawValue ?? "corporate-grey",
                                              jpeg: Array("headshot \(index)".utf8), width: 1, height: 1, identityDistance: nil))
        }
    }
}
