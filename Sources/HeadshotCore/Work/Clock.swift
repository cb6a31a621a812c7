import Foundation
import NIOConcurrencyHelpers

/// The time source for everything that expires (sessions, links, leases), so tests can move time.
package protocol WallClock: Sendable {
    func now() -> Date
}

package struct SystemClock: WallClock {
    package init() {}
    package func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests.
package final class ManualClock: WallClock, Sendable {
    private let current: NIOLockedValueBox<Date>

    package init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = NIOLockedValueBox(start)
    }

    package func now() -> Date { current.withLockedValue { $0 } }

    package func advance(by interval: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(interval) }
    }

    /// Jumps to `date` (forwards, in the tests that check a promised day).
    package func set(_ date: Date) {
        current.withLockedValue { $0 = date }
    }
}
