import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

// `make bench`: times the photo quality gate on the test fixtures and prints a table.
//   headshot-bench imaging [--fixtures DIR] [--rounds N]     stage timings, set timing, peak RSS
//   headshot-bench calibrate FILE…                           the raw measurements behind each verdict
//   headshot-bench upload --headshot PATH [--rounds N]        uploads through a running server: time and memory
//   headshot-bench studio [--rounds N]                       studio renderer: stages, Basic and Professional orders
//   headshot-bench samples [--out DIR] [--public DIR]         contact sheet and the presets page's example renders
//   headshot-bench zip [--count N]                           a streamed N-headshot ZIP: throughput and memory
//   headshot-bench queue [--jobs N] [--postgres URL]          queue throughput with 1, 4 and 16 workers
//   headshot-bench deletion [--postgres URL] [--s3 ENDPOINT]  one order of 20 selfies and 100 headshots deleted: request → completed
//   headshot-bench packages [--rounds N]                        Basic and Professional through the server: upload → pay → gallery
// Models come from MODELS_DIR (default: models).

let arguments = Array(CommandLine.arguments.dropFirst())
let models = FaceModelFiles(directory: ProcessInfo.processInfo.environment["MODELS_DIR"] ?? "models")

func option(_ name: String, default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

func read(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

func files(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory + "/" + $0 }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

struct Row {
    let stage: String
    let count: Int
    let median: Double
    let p90: Double
    let target: String
}

func printTable(_ rows: [Row]) {
    printTextTable(["stage", "n", "median ms", "p90 ms", "target"],
                   rows.map { [$0.stage, "\($0.count)", String(format: "%.1f", $0.median), String(format: "%.1f", $0.p90), $0.target] })
}

/// A plain-text table: the first column left-aligned, the others right-aligned.
func printTextTable(_ header: [String], _ cells: [[String]]) {
    let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
    func line(_ row: [String]) -> String {
        row.enumerated().map { column, text in
            column == 0 ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[column] - text.count) + text
        }.joined(separator: "  ")
    }
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    cells.forEach { print(line($0)) }
}

func benchImaging() async throws {
    let fixtures = option("--fixtures", default: "Tests/Fixtures")
    let rounds = Int(option("--rounds", default: "5")) ?? 5
    let personA = files(in: fixtures + "/faces/person-a")
    let photos = personA + files(in: fixtures + "/faces/heic") + files(in: fixtures + "/faces/singles")
        .filter { !$0.contains("Tom_Hanks") }
    let noFace = files(in: fixtures + "/no-face")
    let originals = try photos.map(read)
    // The target is stated for 1–2 MP photos: every person-a photo resized to 1.5 MP.
    let midSize = try personA.map { try ImageResizer.jpeg(read($0), megapixels: 1.5) }

    // Stage timings on one thread, so stages are not slowed by each other.
    var times: [StageTimes] = []
    var midTotals: [Double] = [], noFaceTotals: [Double] = []
    do {
    let singleEngine = try ImagingEngine(models: models, threads: 1)
    let single = singleEngine.inspector
    for _ in 0..<rounds {
        for bytes in originals { times.append(try await single.inspectTimed(bytes).1) }
        for bytes in midSize { midTotals.append(milliseconds(try await single.inspectTimed(bytes).1.total)) }
        for path in noFace { noFaceTotals.append(milliseconds(try await single.inspectTimed(try read(path)).1.total)) }
    }
    try await singleEngine.shutdown()
    }

    func row(_ stage: String, _ values: [Double], target: String = "") -> Row {
        Row(stage: stage, count: values.count, median: percentile(values, 0.5), p90: percentile(values, 0.9), target: target)
    }
    var rows = [
        row("decode + normalise (per MP)", times.map { milliseconds($0.decode) / max($0.megapixels, 0.01) }),
        row("decode + normalise", times.map { milliseconds($0.decode) }),
        row("detect (HOG, ≤ 0.75 MP copy)", times.map { milliseconds($0.detect) }),
        row("landmarks (68 + 5)", times.map { milliseconds($0.landmarks) }),
        row("descriptor (ResNet 128-d)", times.map { milliseconds($0.descriptor) }),
        row("checks (sharpness, light, hash)", times.map { milliseconds($0.measure) }),
        row("whole check, fixtures as is", times.map { milliseconds($0.total) }),
        row("whole check, 1.5 MP photos", midTotals, target: "≤ 150"),
        row("whole check, no face (CNN fallback)", noFaceTotals),
    ]

    // A 20-photo set on both cores: person-a's photos, repeated to 20.
    let set = (0..<20).map { index in (id: "photo-\(index)", bytes: midSize[index % midSize.count]) }
    let parallelEngine = try ImagingEngine(models: models, threads: 2)
    let parallel = parallelEngine.inspector
    var setTimes: [Double] = []
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        _ = await parallel.checkSet(set)
        setTimes.append(milliseconds(ContinuousClock.now - start))
    }
    try await parallelEngine.shutdown()
    rows.append(row("20-photo set, 2 threads (wall)", setTimes, target: "≤ 2000"))

    print("Photo quality gate — \(photos.count) fixture photos, \(rounds) rounds, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    printTable(rows)
    print(String(format: "peak RSS: %.0f MB (target ≤ 600 MB)", peakRSSMegabytes()))
}

func calibrate() async throws {
    let engine = try ImagingEngine(models: models)
    let inspector = engine.inspector
    let paths = arguments.dropFirst()
    var descriptors: [(String, [Float])] = []
    for path in paths {
        let name = (path as NSString).lastPathComponent
        do {
            let m = try await inspector.measure(try read(path))
            guard let f = m.primary else { print("\(name) \(m.imageWidth)×\(m.imageHeight) faces=0"); continue }
            descriptors.append((name, f.descriptor))
            let o = f.overflow, l = f.lighting, p = f.pose
            print(String(
                format: "%@ %d×%d faces=%@ width=%.0fpx (%.2f) overflow forehead=%.2f crown=%.2f chin=%.2f ears=%.2f/%.2f outside=%d sharpness=%.1f light=%.0f dark=%.3f bright=%.3f halves=%.0f/%.0f yaw=%.1f pitch=%.1f roll=%.1f ear=%.3f",
                name, m.imageWidth, m.imageHeight, m.faces.map { String(format: "%.0fpx@%.2f", $0.box.width, $0.confidence) }.joined(separator: ","),
                f.width, f.width / Double(min(m.imageWidth, m.imageHeight)), o.forehead, o.crown, o.chin, o.left, o.right,
                o.landmarksOutside, f.sharpness, l.mean, l.darkFraction, l.brightFraction, l.leftMean, l.rightMean,
                p.yaw, p.pitch, p.roll, f.eyeAspectRatio
            ))
        } catch {
            print("\(name): \(error)")
        }
    }
    if descriptors.count > 1 {
        print("\ndescriptor distances")
        for (a, da) in descriptors {
            let row = descriptors.map { _, db in String(format: "%.2f", zip(da, db).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()) }
            print(a.padding(toLength: 24, withPad: " ", startingAt: 0), row.joined(separator: " "))
        }
    }
    try await engine.shutdown()
}

LargeBuffers.keepInProcess()
switch arguments.first {
case "imaging", nil: try await benchImaging()
case "calibrate": try await calibrate()
case "studio":
    try await StudioBench(fixtures: option("--fixtures", default: "Tests/Fixtures"), rounds: Int(option("--rounds", default: "2")) ?? 2).run()
case "samples":
    try await Samples(fixtures: option("--fixtures", default: "Tests/Fixtures"), output: option("--out", default: "artifacts/samples"),
                      publicImages: option("--public", default: "Public/images/presets")).run()
case "memory":
    try await EngineMemoryBench(fixtures: option("--fixtures", default: "Tests/Fixtures")).run()
case "zip":
    try await ZipBench(fixtures: option("--fixtures", default: "Tests/Fixtures"), count: Int(option("--count", default: "100")) ?? 100).run()
case "queue":
    let postgres = option("--postgres", default: "")
    try await QueueBench(jobs: Int(option("--jobs", default: "2000")) ?? 2000, postgresURL: postgres.isEmpty ? nil : postgres).run()
case "packages":
    try await PackageBench(fixtures: option("--fixtures", default: "Tests/Fixtures"), rounds: Int(option("--rounds", default: "2")) ?? 2).run()
case "deletion":
    let postgres = option("--postgres", default: ""), s3 = option("--s3", default: "")
    try await DeletionBench(postgresURL: postgres.isEmpty ? nil : postgres, s3Endpoint: s3.isEmpty ? nil : s3,
                            fixtures: option("--fixtures", default: "Tests/Fixtures")).run()
case "upload":
    try await UploadBench(headshot: option("--headshot", default: ".build/release/headshot"),
                          fixtures: option("--fixtures", default: "Tests/Fixtures"),
                          rounds: Int(option("--rounds", default: "2")) ?? 2).run()
default:
    FileHandle.standardError.write(Data("usage: headshot-bench [imaging [--fixtures DIR] [--rounds N] | calibrate FILE… | upload --headshot PATH | studio [--rounds N] | packages [--rounds N] | samples [--out DIR] [--public DIR] | memory | zip [--count N] | queue [--jobs N] [--postgres URL]]\n".utf8))
    exit(2)
}
