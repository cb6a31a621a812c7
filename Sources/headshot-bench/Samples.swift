import Foundation
import Imaging
import NIOConcurrencyHelpers

/// `headshot-bench samples [--fixtures DIR] [--out DIR] [--public DIR]` (`make samples`):
/// - a contact sheet of the 8 person-a photos in the five presets (test documentation only: the
///   fixtures' licence note forbids marketing use of these people), and
/// - the presets page's examples: the public-domain NASA astronaut portrait in each preset, written
///   into Public/images/presets so the page shows real renders, never stock images.
struct Samples {
    let fixtures: String
    let output: String
    let publicImages: String

    func run() async throws {
        let engine = try ImagingEngine(models: models, threads: 2)
        let renderer = engine.renderer, inspector = engine.inspector
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: publicImages, withIntermediateDirectories: true)

        let personA = files(in: fixtures + "/faces/person-a").map { try! read($0) }
        var references: [[Float]] = []
        for photo in personA { if let descriptor = try await inspector.inspect(photo).report.descriptor { references.append(descriptor) } }
        var cells: [[UInt8]] = []
        for (number, photo) in personA.enumerated() {
            for look in StudioLook.all {
                let headshot = try await renderer.render(StudioSource(id: number, jpeg: photo), look: look, variation: .number(number), references: references)
                cells.append(headshot.jpeg)
            }
        }
        let sheet = try ContactSheet.png(cells, across: StudioLook.all.count, cellWidth: 240)
        try Data(sheet).write(to: URL(fileURLWithPath: output + "/person-a-contact-sheet.png"))
        print("wrote \(output)/person-a-contact-sheet.png (\(personA.count) photos × \(StudioLook.all.count) presets)")

        // Whole orders as the generator plans and checks them: Basic (40 in 3 styles) and
        // Professional (100 in 5), each headshot as a thumbnail grouped by style.
        var planPhotos: [PlanPhoto] = [], prepared: [[UInt8]] = []
        for photo in personA {
            let inspected = try await inspector.inspect(photo)
            guard let planPhoto = PlanPhoto(report: inspected.report) else { continue }
            planPhotos.append(planPhoto)
            prepared.append(inspected.normalisedJPEG)
        }
        let orderSources = prepared.enumerated().map { StudioSource(id: 1000 + $0.offset, jpeg: $0.element) }
        for (name, count, styles) in [("basic", 40, Array(StudioLook.all.prefix(3))), ("professional", 100, StudioLook.all)] {
            let plan = StudioPlan(photos: planPhotos, styles: styles.map(\.id), count: count, seed: 2026)
            let order = StudioOrder(renderer: renderer, plan: plan, sources: orderSources, references: references)
            let delivered = NIOLockedValueBox<[StudioOrder.Delivery]>([])
            let report = try await order.render(pending: Array(0..<plan.deliverable)) { delivery in delivered.withLockedValue { $0.append(delivery) } }
            let deliveries = delivered.withLockedValue { $0 }.sorted { $0.index < $1.index }
            let grouped = styles.flatMap { style in deliveries.filter { $0.style == style.id } }
            let sheet = try ContactSheet.png(grouped.map(\.headshot.jpeg), across: (count / styles.count + 1) / 2, cellWidth: 120)
            try Data(sheet).write(to: URL(fileURLWithPath: output + "/person-a-\(name)-order.png"))
            let variety = Variety(deliveries)
            print("wrote \(output)/person-a-\(name)-order.png: \(deliveries.count) of \(count) headshots, rows by style (\(styles.map(\.id).joined(separator: ", ")))")
            print("  renders \(report.rendered), discarded \(report.discarded.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")), spares used \(report.sparesUsed)")
            print(String(format: "  no near-duplicate in its style (SSIM < %.2f): %d of %d (%.0f %%); most similar pair per headshot: median %.2f, max %.2f",
                         Likeness.threshold, variety.distinct, deliveries.count, 100 * Double(variety.distinct) / Double(max(deliveries.count, 1)),
                         variety.medianClosest, variety.maxClosest))
            print("  framings: " + ShotFraming.allCases.map { framing in "\(framing.rawValue) \(deliveries.filter { $0.shot.framing == framing }.count)" }.joined(separator: ", "))
        }

        let astronaut = try read(fixtures + "/faces/singles/astronaut.png")
        let normalised = try await inspector.inspect(astronaut)
        let own = [normalised.report.descriptor].compactMap { $0 }
        // Each style's example and two variants as one order varies it (framing, light side, backdrop).
        let variants: [(suffix: String, variation: StudioVariation)] = [
            ("", StudioVariation(framing: .closeUp, lightSide: 1, seed: 1)),
            ("-tight", StudioVariation(framing: .tight, lightSide: -1, contrasty: true, tone: 0.6, spot: -0.8, seed: 2)),
            ("-tight-left", StudioVariation(framing: .tightLeft, lightSide: 1, tone: -0.6, spot: 0.8, seed: 3)),
        ]
        for look in StudioLook.all {
            for variant in variants {
                let headshot = try await renderer.render(StudioSource(id: 100, jpeg: normalised.normalisedJPEG), look: look, variation: variant.variation, references: own)
                let small = try ImageResizer.jpeg(headshot.jpeg, longSide: variant.suffix.isEmpty ? 500 : 300, quality: 86, enlarge: false)
                try Data(small).write(to: URL(fileURLWithPath: publicImages + "/\(look.id)\(variant.suffix).jpg"))
            }
        }
        print("wrote \(StudioLook.all.count) preset examples to \(publicImages)")
        try await engine.shutdown()
    }
}

/// How different an order's headshots are within each style, by the generator's own measure.
struct Variety {
    /// Headshots with no other of their style at or above `Likeness.threshold`.
    let distinct: Int
    /// Per headshot, its similarity to the most similar other of its style.
    let medianClosest: Double
    let maxClosest: Double

    init(_ deliveries: [StudioOrder.Delivery]) {
        var closest: [Double] = []
        for delivery in deliveries {
            let others = deliveries.filter { $0.style == delivery.style && $0.index != delivery.index }
            closest.append(others.map { $0.headshot.likeness.similarity(to: delivery.headshot.likeness) }.max() ?? 0)
        }
        distinct = closest.filter { $0 < Likeness.threshold }.count
        let sorted = closest.sorted()
        medianClosest = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        maxClosest = sorted.last ?? 0
    }
}
