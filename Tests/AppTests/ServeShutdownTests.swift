import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import App

/// `headshot serve` as a deployment runs it, stopped by SIGTERM (systemd's stop, a rolling deploy)
/// while a request is still arriving: the request is answered from the database, and the process
/// exits cleanly afterwards. Vapor closes its server only after Fluent's databases have shut down, so
/// without the drain the request finds no database and the process traps.
@Suite("serve on SIGTERM") struct ServeShutdownTests {
    @Test func aRequestInFlightAtSIGTERMIsAnsweredAndServeExitsZero() async throws {
        let port = try freeLoopbackPort()
        let data = NSTemporaryDirectory() + "headshot-serve-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let log = data + ".log"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: log) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("headshot")
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port)]
        process.currentDirectoryURL = CheckCommandTests.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["MODELS_DIR"] = CheckCommandTests.modelsDirectory
        environment["DATA_DIR"] = data
        environment["BASE_URL"] = "http://127.0.0.1:\(port)"
        environment["LOG_LEVEL"] = "info"
        environment["GENERATOR"] = "probe"
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func serverLog() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        // Up once it answers its liveness check (it migrates a new database first).
        let up = await eventually(60) {
            guard let socket = try? RawSocket(port: port, timeout: 5) else { return false }
            socket.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            return socket.receive().hasPrefix("HTTP/1.1 200")
        }
        try #require(up, "serve did not come up:\n\(serverLog().suffix(3000))")

        // A sign-in whose body is still on its way when SIGTERM comes; it needs the database to answer.
        let body = Array(#"{"email":"nobody@example.com","password":"not the password at all"}"#.utf8)
        let socket = try RawSocket(port: port, timeout: 30)
        let head = "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        #expect(socket.send(Array(head.utf8) + body.prefix(10)))
        try await Task.sleep(for: .milliseconds(300))
        kill(process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(700))
        // No new connection is taken meanwhile.
        #expect((try? RawSocket(port: port, timeout: 5)) == nil, "serve still accepts connections after SIGTERM")
        #expect(socket.send(Array(body.dropFirst(10))))
        let answer = socket.receive()
        #expect(answer.hasPrefix("HTTP/1.1 401"), "the request in flight was not answered: \(answer.prefix(300))\n\(serverLog().suffix(3000))")

        // The process then ends on its own, with status 0.
        let exited = await eventually(30) { !process.isRunning }
        #expect(exited, "serve did not exit after SIGTERM:\n\(serverLog().suffix(3000))")
        if exited {
            #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                    "serve ended with \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus):\n\(serverLog().suffix(3000))")
        }
    }
}
