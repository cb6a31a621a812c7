import Foundation
import HeadshotCore
import Imaging
import Vapor

/// `headshot check FILE… [--json]`: runs the photo quality gate on files and prints a table (or
/// JSON). Exits 0 when every file passes and together they form a ready set of 8–20 photos of one
/// person, 1 otherwise. Takes any number of files, so it reads its arguments itself.
struct CheckCommand: AnyAsyncCommand {
    let services: AppServices

    var help: String {
        "Checks photos with the quality gate: check FILE… [--json]. Exits 0 when every file passes and together they form a ready set."
    }

    func outputHelp(using context: inout CommandContext) {
        context.console.output("Usage: \(context.input.executable) FILE… [--json]\n\n\(help)".consoleText())
    }

    func run(using context: inout CommandContext) async throws {
        let arguments = context.input.arguments
        context.input.arguments = []
        let app = context.application
        if arguments.contains("--help") || arguments.contains("-h") {
            outputHelp(using: &context)
            return
        }
        let json = arguments.contains("--json")
        let unknown = arguments.filter { $0.hasPrefix("-") && $0 != "--json" }
        let paths = arguments.filter { !$0.hasPrefix("-") }
        guard unknown.isEmpty, !paths.isEmpty else {
            context.console.error(unknown.isEmpty ? "check needs at least one photo file" : "unknown option \(unknown.joined(separator: " "))")
            outputHelp(using: &context)
            app.exitStatus = 2
            return
        }

        try services.config.requireFaceModels()
        let inspector = try await services.imaging.engine().inspector
        var files: [(id: String, bytes: [UInt8])] = []
        var unreadable: [String: String] = [:]
        for path in paths {
            do {
                files.append((path, try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))))
            } catch {
                unreadable[path] = "cannot read the file: \((error as NSError).localizedFailureReason ?? "\(error)")"
                files.append((path, []))
            }
        }
        let result = await inspector.checkSet(files.filter { unreadable[$0.id] == nil })
        let output = CheckOutput(result: result, unreadable: paths.filter { unreadable[$0] != nil }.map { ($0, unreadable[$0]!) })
        context.console.output((json ? try output.json() : output.table()).consoleText())
        app.exitStatus = output.ready ? 0 : 1
    }
}

extension Application {
    private struct ExitStatusKey: StorageKey { typealias Value = Int32 }

    /// What the process exits with after a command finished without throwing (default 0).
    package var exitStatus: Int32 {
        get { storage[ExitStatusKey.self] ?? 0 }
        set { storage[ExitStatusKey.self] = newValue }
    }
}
