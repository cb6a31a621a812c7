import Foundation
import NIOConcurrencyHelpers

/// What renders one headshot: the studio renderer, or in tests a wrapper around it.
public protocol HeadshotRendering: Sendable {
    var threadCount: Int { get }
    func render(_ source: StudioSource, look: StudioLook, variation: StudioVariation, references: [[Float]]) async throws -> StudioHeadshot
}

extension StudioRenderer: HeadshotRendering {}

/// Renders a planned order: each headshot as planned, every one checked (the quality gate, the
/// identity guard, no twin within its style), and a discarded render replaced by its style's next
/// spare shot. Used by the studio generator (which stores what it gets) and by the benchmarks and
/// samples, so what they measure is what customers get.
public struct StudioOrder: Sendable {
    /// Mean descriptor distance to the customer's photos above which an output is not delivered.
    /// Outputs of person-a in the five presets measure 0.33–0.40; a stranger's photo measures above 0.6.
    public static let identityThreshold = 0.45
    /// Renders tried for one headshot (the planned shot, then spares) before the order fails.
    public static let maxTries = 6

    public let renderer: any HeadshotRendering
    public let plan: StudioPlan
    public let sources: [StudioSource]
    public let references: [[Float]]
    /// The backdrop colour of every drawn backdrop (a team's brand colour), or the presets' own.
    public let backdrop: BackdropColour?

    public init(renderer: any HeadshotRendering, plan: StudioPlan, sources: [StudioSource], references: [[Float]], backdrop: BackdropColour? = nil) {
        self.backdrop = backdrop
        self.renderer = renderer
        self.plan = plan
        self.sources = sources
        self.references = references
    }

    /// One accepted headshot, with the shot it was drawn as (the planned one or a spare).
    public struct Delivery: Sendable {
        public let index: Int
        public let style: String
        public let shot: StudioShot
        public let headshot: StudioHeadshot
    }

    /// Why a render was not delivered (counted for the benchmark and the logs).
    public enum Discard: String, Sendable, CaseIterable {
        /// The output failed the quality gate.
        case quality
        /// The output is too far from the customer's face.
        case identity
        /// Another headshot of its style is its near-duplicate.
        case twin
        /// The photo did not allow the planned framing after all (its upload check said it did).
        case framing
    }

    public struct Report: Sendable {
        public var rendered = 0
        public var discarded: [Discard: Int] = [:]
        public var sparesUsed = 0
    }

    public enum Failure: Error, Sendable {
        /// No acceptable headshot for `index` after `maxTries` renders (or its style's spares ran out).
        case exhausted(index: Int, style: String, discarded: [Discard])
    }

    /// Renders `pending` (headshot numbers of the plan), handing each accepted one to `deliver`.
    /// `earlier` are the headshots an earlier attempt delivered, per style, with their shots: they
    /// count against twins and their shots are not used again.
    public func render(pending: [Int], earlier: [String: [(shot: StudioShot, likeness: Likeness)]] = [:],
                       deliver: @escaping @Sendable (Delivery) async throws -> Void) async throws -> Report {
        let state = NIOLockedValueBox(State(plan: plan, earlier: earlier))
        let renderer = self.renderer, sources = self.sources, references = self.references, plan = self.plan, backdrop = self.backdrop
        // The headshots of one photo one after another, the threads on different photos at once: each photo
        // is prepared once (about 600 ms, more than two headshots) and shared. In the plan's order (styles
        // and photos interleaved) a photo was prepared again for almost every headshot.
        let photo = { (index: Int) in plan.shots.indices.contains(index) ? plan.shots[index].photo % max(sources.count, 1) : Int.max }
        let queue = Self.lanes(pending, photo: photo, count: renderer.threadCount)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (position, index) in queue.enumerated() {
                if position >= renderer.threadCount { try await group.next() }
                let style = plan.style(of: index)
                guard let look = (StudioLook.named(style) ?? StudioLook.all.first)?.branded(backdrop) else { continue }
                group.addTask {
                    var shot: StudioShot? = state.withLockedValue { $0.take(plan.shots[index], style: style) }
                    var reasons: [Discard] = []
                    while let current = shot, reasons.count < Self.maxTries {
                        let source = sources[current.photo % sources.count]
                        let headshot = try await renderer.render(source, look: look, variation: current.variation, references: references)
                        let verdict: Discard? = headshot.framing != current.framing ? .framing
                            : headshot.report.verdict != .pass ? .quality
                            : headshot.identityDistance > Self.identityThreshold ? .identity : nil
                        let accepted = verdict == nil && state.withLockedValue { $0.claim(headshot.likeness, style: style) }
                        if accepted {
                            state.withLockedValue { $0.rendered += 1; if current != plan.shots[index] { $0.sparesUsed += 1 } }
                            try await deliver(Delivery(index: index, style: style, shot: current, headshot: headshot))
                            return
                        }
                        let reason = verdict ?? .twin
                        reasons.append(reason)
                        shot = state.withLockedValue { $0.rendered += 1; $0.discarded[reason, default: 0] += 1; return $0.spare(style: style) }
                    }
                    throw Failure.exhausted(index: index, style: style, discarded: reasons)
                }
            }
            try await group.waitForAll()
        }
        return state.withLockedValue { Report(rendered: $0.rendered, discarded: $0.discarded, sparesUsed: $0.sparesUsed) }
    }

    /// `pending` in the order it is rendered: grouped by photo, the groups dealt into `count` lanes of
    /// about equal length (one per thread), and the lanes interleaved, so the threads start on different
    /// photos and a photo's headshots follow one another.
    static func lanes(_ pending: [Int], photo: (Int) -> Int, count: Int) -> [Int] {
        let groups = Dictionary(grouping: pending, by: photo).sorted { $0.key < $1.key }.map { $0.value.sorted() }
        var lanes = Array(repeating: [Int](), count: max(count, 1))
        for group in groups {
            let shortest = lanes.indices.min { lanes[$0].count < lanes[$1].count } ?? 0
            lanes[shortest] += group
        }
        var queue: [Int] = [], position = 0
        queue.reserveCapacity(pending.count)
        while queue.count < pending.count {
            for lane in lanes where position < lane.count { queue.append(lane[position]) }
            position += 1
        }
        return queue
    }

    /// What the renders share: the likenesses accepted per style, the shots used, the spares left.
    struct State {
        var likenesses: [String: [Likeness]] = [:]
        var used: Set<String> = []
        var spares: [String: [StudioShot]]
        var rendered = 0
        var discarded: [Discard: Int] = [:]
        var sparesUsed = 0

        init(plan: StudioPlan, earlier: [String: [(shot: StudioShot, likeness: Likeness)]]) {
            spares = plan.spares
            for (style, delivered) in earlier {
                likenesses[style] = delivered.map(\.likeness)
                for item in delivered { used.insert("\(style)/\(item.shot.look)") }
            }
        }

        /// The planned shot, unless an earlier attempt delivered its look as a replacement: then a spare.
        mutating func take(_ planned: StudioShot, style: String) -> StudioShot? {
            if used.insert("\(style)/\(planned.look)").inserted { return planned }
            return spare(style: style)
        }

        mutating func spare(style: String) -> StudioShot? {
            while var queue = spares[style], !queue.isEmpty {
                let next = queue.removeFirst()
                spares[style] = queue
                if used.insert("\(style)/\(next.look)").inserted { return next }
            }
            return nil
        }

        /// Records `likeness` unless a headshot of the style already accepted is its twin.
        mutating func claim(_ likeness: Likeness, style: String) -> Bool {
            guard !likenesses[style, default: []].contains(where: { $0.isTwin(of: likeness) }) else { return false }
            likenesses[style, default: []].append(likeness)
            return true
        }
    }
}
