import Foundation
import Imaging

/// `headshot-bench memory`: what the process holds with one imaging engine serving both the quality
/// gate and the renderer, against the layout before the engine existed (an inspector and a renderer
/// each loading the face models and starting a thread per core). Each engine checks two photos and
/// renders two headshots, so every lazily made tool is in memory when it is measured.
struct EngineMemoryBench {
    let fixtures: String

    func run() async throws {
        let photos = files(in: fixtures + "/faces/person-a").prefix(2).map { try! read($0) }
        let start = ProcessMemory.current()
        var engines: [ImagingEngine] = []
        var rows: [[String]] = [["process at start", String(format: "%.0f", start.rss), "-"]]
        for label in ["one engine (inspector and renderer share it)", "two engines (the former layout)"] {
            let engine = try ImagingEngine(models: models, threads: 2)
            engines.append(engine)
            var references: [[Float]] = []
            for photo in photos { if let descriptor = try await engine.inspector.inspect(photo).report.descriptor { references.append(descriptor) } }
            for (number, photo) in photos.enumerated() {
                _ = try await engine.renderer.render(StudioSource(id: number, jpeg: photo), look: StudioLook.all[0], variation: .number(0),
                                                     references: references)
            }
            let now = ProcessMemory.current()
            rows.append([label, String(format: "%.0f", now.rss), String(format: "%d", engines.count * engine.threadCount)])
        }
        for engine in engines { try await engine.shutdown() }
        print("\nImaging engine memory (2 photos checked and 2 headshots rendered per engine, release)")
        printTextTable(["what is loaded", "RSS MB", "imaging threads"], rows)
    }
}
