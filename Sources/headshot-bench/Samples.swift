import Foundation
import Imaging

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

        let astronaut = try read(fixtures + "/faces/singles/astronaut.png")
        let normalised = try await inspector.inspect(astronaut)
        let own = [normalised.report.descriptor].compactMap { $0 }
        for look in StudioLook.all {
            let headshot = try await renderer.render(StudioSource(id: 100, jpeg: normalised.normalisedJPEG), look: look, variation: .number(0), references: own)
            let small = try ImageResizer.jpeg(headshot.jpeg, longSide: 500, quality: 86, enlarge: false)
            try Data(small).write(to: URL(fileURLWithPath: publicImages + "/\(look.id).jpg"))
        }
        print("wrote \(StudioLook.all.count) preset examples to \(publicImages)")
        try await engine.shutdown()
    }
}
