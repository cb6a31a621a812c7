import Foundation
import Imaging

/// `headshot-bench studio [--fixtures DIR] [--rounds N]`: the studio renderer on the person-a
/// photos. Per-stage times of 1600×2000 headshots on one thread, then whole orders (Basic 40,
/// Professional 100 headshots) on two threads, with peak memory.
struct StudioBench {
    let fixtures: String
    let rounds: Int

    func run() async throws {
        let photos = files(in: fixtures + "/faces/person-a").map { try! read($0) }
        // One engine on one thread: references measured by its quality gate, stages timed by its renderer.
        let singleEngine = try ImagingEngine(models: models, threads: 1)
        var descriptors: [[Float]] = []
        for photo in photos { if let descriptor = try await singleEngine.inspector.inspect(photo).report.descriptor { descriptors.append(descriptor) } }
        let references = descriptors
        let sources = photos.enumerated().map { StudioSource(id: $0.offset, jpeg: $0.element) }

        // Stages on one thread. The first render of each source also prepares it (decode, landmarks,
        // matte, retouch, decontamination): work an order pays once per photo, reported in rows of its own.
        let single = singleEngine.renderer
        var times: [StudioTimes] = [], photoWork: [StudioTimes] = [], distances: [Double] = []
        for round in 0..<rounds {
            for source in sources {
                for (number, look) in StudioLook.all.enumerated() {
                    let headshot = try await single.render(source, look: look, variation: .number(round * 5 + number), references: references)
                    distances.append(headshot.identityDistance)
                    if headshot.times.includesPhotoWork { photoWork.append(headshot.times) } else { times.append(headshot.times) }
                }
            }
        }
        try await singleEngine.shutdown()
        func row(_ stage: String, _ values: [Double], target: String = "") -> Row {
            Row(stage: stage, count: values.count, median: percentile(values, 0.5), p90: percentile(values, 0.9), target: target)
        }
        func stage(_ path: KeyPath<StudioTimes, Duration>) -> [Double] { times.map { milliseconds($0[keyPath: path]) } }
        func once(_ path: KeyPath<StudioTimes, Duration>) -> [Double] {
            photoWork.map { milliseconds($0[keyPath: path]) }.filter { $0 > 0 }
        }
        print("\nStudio renderer: 1600×2000 headshots of the 8 person-a photos in 5 presets, one thread (\(BuildKind.name) build)")
        printTable([
            row("once per photo: decode ≤ 3000 px, landmarks, fit", once(\.prepare)),
            row("once per photo: matte (network, GrabCut, guided filter)", once(\.matte)),
            row("once per photo: retouch (skin, eyes)", once(\.retouch)),
            row("once per photo: edge decontamination", once(\.decontaminate)),
            row("framing (choice within the photo, level, crop, 4:5, feather)", stage(\.framing)),
            row("grade (balance, exposure, key light, curve, rim)", stage(\.grade)),
            row("background (drawn backdrop / drawn office)", stage(\.background)),
            row("composite through the matte", stage(\.composite)),
            row("encode JPEG Q92 + XMP", stage(\.encode)),
            row("identity + quality gate on the output", stage(\.identity)),
            row("  of it: copy, face found near where the warp put it", stage(\.check.detect)),
            row("  of it: 68- and 5-point landmarks", stage(\.check.landmarks)),
            row("  of it: descriptor (ResNet)", stage(\.check.descriptor)),
            row("  of it: sharpness, light, hash, border", stage(\.check.measure)),
            row("whole headshot (photo already prepared)", stage(\.total), target: "≤ 300"),
        ])
        print(String(format: "identity distance of the %d renders to the person-a photos: median %.3f, max %.3f (threshold 0.45)",
                     distances.count, percentile(distances, 0.5), distances.max() ?? .nan))

        // Whole orders on both cores: sources prepared as the work reaches them, like the generator.
        let engine = try ImagingEngine(models: models, threads: 2)
        let parallel = engine.renderer
        for (name, count, target) in [("Basic", 40, 30.0), ("Professional", 100, 60.0)] {
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    if index >= parallel.threadCount { try await group.next() }
                    let source = sources[(index / StudioLook.all.count) % sources.count], look = StudioLook.all[index % StudioLook.all.count]
                    group.addTask { _ = try await parallel.render(source, look: look, variation: .number(index), references: references) }
                }
                try await group.waitForAll()
            }
            let seconds = milliseconds(ContinuousClock.now - started) / 1000
            print(String(format: "%@ order, %d headshots on 2 threads: %.1f s wall (target ≤ %.0f s), %.2f s per headshot",
                         name, count, seconds, target, seconds / Double(count)))
        }
        try await engine.shutdown()
        print(String(format: "peak RSS of the benchmark process: %.0f MB", peakRSSMegabytes()))
    }
}
