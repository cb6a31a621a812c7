import BlobStorage
import FluentKit
import Foundation
import Imaging
import Logging
import NIOConcurrencyHelpers
import SiteRoutes

/// The remote generator: the presets the preset file gives a GPU model are made by predictions
/// (Replicate's wire format, or a self-hosted Cog container); the others, and anything the
/// provider cannot make, by the studio renderer. Each output is downloaded at once, normalised
/// and labelled as diffusion-generated, and delivered only if it passes the quality gate, is the
/// customer (the identity guard) and is no twin of another in its style; otherwise it is asked for
/// again. After repeated provider failures a circuit breaker sends the rest of the job to the
/// studio renderer, and the order page says so.
package struct RemoteGenerator: Generator {
    package static let description = "A diffusion model on a GPU provider makes new headshots of you from your photos (AI-generated, labelled as such in each file); styles it does not cover are made by our studio renderer from your own photos."
    /// Consecutive provider failures that open the breaker.
    package static let breakerThreshold = 3
    /// Predictions asked for one headshot before the studio renderer makes it instead.
    package static let requestsPerHeadshot = 3
    /// References sent for `{{references}}`.
    package static let maxReferences = 4
    /// The long side of a reference sent inline as a data URI.
    package static let inlineReferenceSide = 1024

    package var description: String { Self.description }
    package let provider: RemoteProvider
    package let studio: any Generator
    package let database: DatabaseProvider
    package let store: any BlobStore
    package let imaging: ImagingService
    package let links: DownloadLinks
    package let baseURL: URL
    package let clock: any WallClock
    package let metrics: AppMetrics
    package let logger: Logger

    package init(provider: RemoteProvider, studio: any Generator, database: DatabaseProvider, store: any BlobStore, imaging: ImagingService, links: DownloadLinks, baseURL: URL, clock: any WallClock, metrics: AppMetrics, logger: Logger) {
        self.provider = provider
        self.studio = studio
        self.database = database
        self.store = store
        self.imaging = imaging
        self.links = links
        self.baseURL = baseURL
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    package func generate(_ work: GenerationWork, output: any HeadshotSink) async throws {
        let presets = provider.presets
        let wanted = work.pending.filter { index in work.preset(for: index).map { presets.backend(of: $0.rawValue) == .remote } ?? false }
        // A team's backdrop colour: only a model told the colour may draw those styles.
        let remote = wanted.filter { index in work.backdrop == nil || work.preset(for: index).map { presets.takesBackdrop($0.rawValue) } ?? false }
        let studioOnly = Set(work.pending).subtracting(remote)
        let db = try database()
        if remote.count < wanted.count, let order = try await Order.find(work.orderID, on: db), order.studioFallback == nil {
            order.studioFallback = OrderFallback.backdrop
            try await order.save(on: db)
        }
        guard !remote.isEmpty else { return try await studio.generate(work, output: output) }

        let photos = try await HeadshotPlans.photos(orderID: work.orderID, on: db)
        let references = StudioGenerator.references(photos.compactMap { $0.upload.faceDescriptor.flatMap(StoredReport.decodeDescriptor) })
        guard !photos.isEmpty, !references.isEmpty else {
            throw GenerationFailure("We could not find the photos you uploaded for this order. Please contact support.", code: "no_photos")
        }
        guard let order = try await Order.find(work.orderID, on: db) else {
            throw GenerationFailure("This order no longer exists.", code: "no_order")
        }
        let sent = Array(photos.prefix(Self.maxReferences).map(\.upload))
        let run = RemoteRun(generator: self, work: work, owner: order.$user.id, photos: sent,
                            inline: presets.references == .dataURIs ? try await inlineReferences(sent) : [], references: references, output: output)
        // The studio-only styles render while the provider works; what the provider could not make follows.
        let studio = self.studio, studioWork = subset(work, studioOnly)
        async let studioPart: Void = studioOnly.isEmpty ? () : studio.generate(studioWork, output: output)
        let leftover = try await run.run(remote)
        try await studioPart
        if !leftover.isEmpty {
            try await studio.generate(subset(work, leftover), output: output)
        }
    }

    /// The reference photos as data URIs, made once per job: brought down to what the models take
    /// (about a megapixel), so a request stays small.
    private func inlineReferences(_ photos: [UploadAsset]) async throws -> [String] {
        let engine = try await imaging.engine()
        var values: [String] = []
        for photo in photos {
            let stored = try await store.read(try BlobKey(path: photo.blobKey))
            let small = try await engine.run { try ImageResizer.jpeg(stored, longSide: Self.inlineReferenceSide, quality: 90, enlarge: false) }
            values.append("data:image/jpeg;base64," + Data(small).base64EncodedString())
        }
        return values
    }

    /// The same work with only `indices` left to make.
    private func subset(_ work: GenerationWork, _ indices: Set<Int>) -> GenerationWork {
        var part = GenerationWork(jobID: work.jobID, orderID: work.orderID, presets: work.presets, total: work.total, attempt: work.attempt,
                                  delivered: Set(0..<work.total).subtracting(indices))
        part.remake = work.remake
        part.backdrop = work.backdrop
        return part
    }
}

/// One job's remote part: its predictions, their outputs, and the breaker.
private final class RemoteRun: Sendable {
    package struct State {
        package var consecutiveFailures = 0
        package var breakerOpen = false
        /// Accepted outputs per style, for twins.
        package var likenesses: [String: [Likeness]] = [:]
        package var leftover: Set<Int> = []
    }

    package let generator: RemoteGenerator
    package let work: GenerationWork
    /// The order's owner, whom the reference links are signed for.
    package let owner: UUID
    package let photos: [UploadAsset]
    /// The references as data URIs, when the preset file sends them inline.
    package let inline: [String]
    package let references: [[Float]]
    package let output: any HeadshotSink
    package let state = NIOLockedValueBox(State())

    private var provider: RemoteProvider { generator.provider }
    private var presets: RemotePresets { provider.presets }

    package init(generator: RemoteGenerator, work: GenerationWork, owner: UUID, photos: [UploadAsset], inline: [String], references: [[Float]],
         output: any HeadshotSink) {
        self.generator = generator
        self.work = work
        self.owner = owner
        self.photos = photos
        self.inline = inline
        self.references = references
        self.output = output
    }

    /// Makes `indices` remotely; returns those the studio renderer must make instead.
    package func run(_ indices: [Int]) async throws -> Set<Int> {
        let db = try generator.database()
        // An earlier attempt's predictions (a worker killed while waiting) are taken up, not asked for again.
        let earlier = try await RemotePrediction.query(on: db).filter(\.$job.$id == work.jobID).sort(\.$createdAt).all()
        var adopted: [(record: RemotePrediction, indices: [Int])] = []
        var covered = Set<Int>()
        for record in earlier where !record.isFinal || record.status == Prediction.Status.succeeded.rawValue {
            let mine = record.indexList.filter { indices.contains($0) && !covered.contains($0) }
            guard !mine.isEmpty else { continue }
            adopted.append((record, record.indexList))
            covered.formUnion(mine)
        }
        var batches: [(preset: String, indices: [Int])] = []
        let byPreset = Dictionary(grouping: indices.filter { !covered.contains($0) }) { work.preset(for: $0)?.rawValue ?? "" }
        for (preset, list) in byPreset.sorted(by: { $0.key < $1.key }) {
            let size = presets.presets[preset]?.outputsPerPrediction ?? 1
            for start in stride(from: 0, to: list.count, by: size) { batches.append((preset, Array(list[start..<min(start + size, list.count)]))) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (record, recordIndices) in adopted {
                let wanted = recordIndices.filter { indices.contains($0) }
                group.addTask { try await self.make(preset: record.preset, indices: wanted, resume: record) }
            }
            for batch in batches {
                group.addTask { try await self.make(preset: batch.preset, indices: batch.indices, resume: nil) }
            }
            try await group.waitForAll()
        }
        return state.withLockedValue { $0.leftover }
    }

    /// Asks for `indices` of `preset` until each is delivered, its requests run out, or the breaker opens.
    private func make(preset: String, indices: [Int], resume: RemotePrediction?) async throws {
        var remaining = indices
        var requests = 0
        var current = resume
        while !remaining.isEmpty {
            try Task.checkCancellation()
            try await ensureRunning()
            if state.withLockedValue({ $0.breakerOpen }) { return giveUp(remaining) }
            if current == nil, requests >= RemoteGenerator.requestsPerHeadshot {
                try await fallBack(reason: OrderFallback.discarded)
                return giveUp(remaining)
            }
            let resumed = current
            current = nil
            if resumed == nil { requests += 1 }
            // One of the provider's slots from asking to the answer: at most `max_concurrent` predictions in flight.
            let (asked, number) = (remaining, requests)
            let outcome: (record: RemotePrediction?, finished: RemotePrediction?) = try await provider.slots.run {
                var record = resumed
                if record == nil { record = try await self.request(preset: preset, indices: asked, number: number) }
                guard let record else { return (nil, nil) }
                return (record, try await self.wait(for: record))
            }
            guard let record = outcome.record else { continue }
            guard let finished = outcome.finished, finished.status == Prediction.Status.succeeded.rawValue else {
                try await failure("prediction \(record.providerID) \(outcome.finished?.status ?? "passed its deadline"): \(outcome.finished?.error ?? "no answer in time")")
                continue
            }
            succeeded()
            remaining = try await deliver(finished, preset: preset, indices: finished.indexList.filter { remaining.contains($0) })
        }
    }

    /// Stops the work when the job is no longer running (a refund or cancellation took it away):
    /// nothing more is asked of the provider for it.
    private func ensureRunning() async throws {
        let job = try await GenerationJob.find(work.jobID, on: try generator.database())
        guard job?.status == .running else { throw JobQueue.FencedOut(jobID: work.jobID) }
    }

    private func giveUp(_ indices: [Int]) {
        state.withLockedValue { $0.leftover.formUnion(indices) }
    }

    /// Creates one prediction for `indices` and records it; nil (a failure counted) when the provider refuses.
    private func request(preset: String, indices: [Int], number: Int) async throws -> RemotePrediction? {
        guard let target = presets.presets[preset]?.target else { return nil }
        let db = try generator.database()
        let seed = Int(truncatingIfNeeded: HeadshotPlans.seed(work.jobID) &+ UInt64(indices[0] * 7919 + number * 104_729)) & 0x7FFF_FFFF
        let input = presets.input(for: preset, references: try referenceValues(), seed: seed, outputs: indices.count, backdrop: work.backdrop?.hex)
        do {
            let prediction = try await provider.client.create(target, input: input, webhook: provider.webhookURL,
                                                              cancelAfter: "\(Int(presets.deadline))s")
            let record = RemotePrediction(jobID: work.jobID, orderID: work.orderID, prediction: prediction, preset: preset, indices: indices)
            record.pricePerSecond = presets.pricePerSecond
            if prediction.status.isFinal {
                // A Cog container answers synchronously, with the output inline.
                if record.providerID.isEmpty { record.providerID = "cog-" + UUID().uuidString.lowercased() }
                record.status = Prediction.Status.starting.rawValue
                _ = try await RemoteWebhooks.apply(prediction, to: record, at: generator.clock.now(), on: db, saving: false)
            }
            try await record.create(on: db)
            generator.metrics.recordRemotePrediction(outcome: "created")
            return record
        } catch let error as PredictionsError {
            try await failure("creating a prediction: \(error)")
            return nil
        }
    }

    /// The reference photos as the preset file says: short-lived signed links to our normalised
    /// copies (the link lasts until the deadline, an hour at most, and is refused once the job ends), or data URIs.
    private func referenceValues() throws -> [String] {
        guard presets.references == .signedURLs else { return inline }
        let lifetime = min(presets.deadline + 300, 3600)
        return try photos.map { photo in
            let grant = generator.links.grant(.reference(job: work.jobID, photo: try photo.requireID()), user: owner, now: generator.clock.now(),
                                              lifetime: lifetime)
            return generator.baseURL.absoluteString.trimmingSuffix("/") + generator.links.path(for: grant)
        }
    }

    /// Waits for the prediction to finish: on the webhook's update of its record, or, when none has
    /// come within the grace period, by reading it from the provider. Nil past the deadline (it is
    /// cancelled at the provider then).
    private func wait(for record: RemotePrediction) async throws -> RemotePrediction? {
        let db = try generator.database()
        let settings = provider.settings
        let started = ContinuousClock.now
        let deadline = started + .seconds(presets.deadline)
        let grace = provider.webhookURL == nil ? .zero : settings.webhookGrace
        var lastRead: ContinuousClock.Instant?
        var current = record
        while true {
            if let fresh = try await RemotePrediction.find(current.id, on: db) { current = fresh }
            if current.isFinal { return current }
            let now = ContinuousClock.now
            if now - started >= grace, lastRead.map({ now - $0 >= settings.pollInterval }) ?? true {
                lastRead = now
                if let read = try? await provider.client.get(current.reference) {
                    _ = try await RemoteWebhooks.apply(read, to: current, at: generator.clock.now(), on: db)
                    generator.metrics.recordRemotePrediction(outcome: "polled")
                    if current.isFinal { return current }
                }
            }
            if now >= deadline {
                try? await provider.client.cancel(current.reference)
                current.status = Prediction.Status.canceled.rawValue
                current.error = "deadline of \(Int(presets.deadline)) s passed"
                current.completedAt = generator.clock.now()
                try await current.save(on: db)
                return nil
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Downloads, checks and delivers a finished prediction's outputs, in order of `indices`;
    /// returns the indices whose output was missing, expired or discarded (to ask for again).
    private func deliver(_ record: RemotePrediction, preset: String, indices: [Int]) async throws -> [Int] {
        let outputs = record.outputList
        let engine = try await generator.imaging.engine()
        var again: [Int] = []
        for (position, index) in record.indexList.enumerated() where indices.contains(index) {
            guard position < outputs.count else { again.append(index); continue }
            let bytes: [UInt8]
            do {
                bytes = try await provider.client.download(outputs[position])
            } catch {
                generator.metrics.recordRemoteDiscard(reason: "download")
                again.append(index)
                continue
            }
            let checked: CheckedGeneratedImage
            do { checked = try await engine.checkGenerated(bytes, references: references) } catch {
                generator.metrics.recordRemoteDiscard(reason: "unreadable")
                again.append(index)
                continue
            }
            let reason: String? = checked.report.verdict == .fail ? "quality"
                : checked.identityDistance > StudioOrder.identityThreshold ? "identity"
                : state.withLockedValue({ state in
                    guard !state.likenesses[preset, default: []].contains(where: { $0.isTwin(of: checked.likeness) }) else { return true }
                    state.likenesses[preset, default: []].append(checked.likeness)
                    return false
                }) ? "twin" : nil
            if let reason {
                generator.metrics.recordRemoteDiscard(reason: reason)
                again.append(index)
                continue
            }
            try await output.deliver(Headshot(index: index, preset: preset, jpeg: checked.jpeg, width: checked.width, height: checked.height,
                                              identityDistance: checked.identityDistance, origin: .diffusion))
        }
        return again
    }

    private func succeeded() {
        state.withLockedValue { $0.consecutiveFailures = 0 }
    }

    /// Counts a provider failure; the breaker opens at the threshold, and the order says why.
    private func failure(_ what: String) async throws {
        generator.metrics.recordRemotePrediction(outcome: "failed")
        generator.logger.warning("remote generator, job \(work.jobID): \(what)")
        let opened = state.withLockedValue { state -> Bool in
            state.consecutiveFailures += 1
            guard !state.breakerOpen, state.consecutiveFailures >= RemoteGenerator.breakerThreshold else { return false }
            state.breakerOpen = true
            return true
        }
        guard opened else { return }
        generator.metrics.recordRemotePrediction(outcome: "breaker_open")
        try await fallBack(reason: OrderFallback.breaker)
    }

    /// Records on the order why some of its remote styles are made by the studio renderer.
    private func fallBack(reason: String) async throws {
        let db = try generator.database()
        guard let order = try await Order.find(work.orderID, on: db), order.studioFallback != OrderFallback.breaker else { return }
        order.studioFallback = reason
        try await order.save(on: db)
    }
}
