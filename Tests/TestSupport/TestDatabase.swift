import Foundation
import HeadshotCore

/// Which database the suite runs on: `make test` runs it once with TEST_DATABASE=sqlite and once with postgres.
package enum TestDatabase {
    package static var postgresAdminURL: String? {
        let env = ProcessInfo.processInfo.environment
        return env["TEST_DATABASE"] == "postgres" ? env["TEST_POSTGRES_URL"] : nil
    }

    /// Whether this is the pass that runs the studio generator's own suite (its renders checked picture by
    /// picture): the SQLite pass. What it stores goes through the queue, asset and order code that the
    /// PostgreSQL pass covers with the packages at full size (`StudioPackageTests`, both passes), the probe
    /// generator, the remote generator and the killed-worker suites.
    package static var rendersStudioOrders: Bool { ProcessInfo.processInfo.environment["TEST_DATABASE"] != "postgres" }

    /// A fresh database for one test: a temp SQLite file, or a new database in the throwaway cluster.
    package static func make() throws -> (DatabaseLocation, cleanup: () -> Void) {
        let name = "hs_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if let admin = postgresAdminURL {
            try run("psql", [admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
            var components = URLComponents(string: admin)!
            components.path = "/\(name)"
            return (.postgres(url: components.string!), {})
        }
        let path = NSTemporaryDirectory() + "\(name).sqlite"
        return (.sqlite(path: path), {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        })
    }

    package static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try Shell.run(tool, arguments)
        guard result.status == 0 else { throw TestFailure("\(tool) exited with \(result.status)") }
    }
}

/// Runs command-line tools (psql, unzip) found on PATH and captures what they print.
package enum Shell {
    package struct Run {
        package let status: Int32
        package let data: Data
        package var output: String { String(decoding: data, as: UTF8.self) }
    }

    package static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, data: data)
    }
}

package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Polls until `condition` holds, for up to `seconds` (work that another task or process finishes).
package func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Where the repository is, for tests that read its files (documentation, fixtures).
package enum TestPaths {
    package static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
