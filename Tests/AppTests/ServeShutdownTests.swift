import Fluent
import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

/// `headshot serve` as a deployment runs it, stopped by SIGTERM (systemd's stop, a rolling deploy)
/// while a request is still arriving: the request is answered from the database, and the process
/// exits cleanly afterwards. Vapor closes its server only after Fluent's databases have shut down, so
/// without the drain the request finds no database and the process traps.
@Suite("serve on SIGTERM") struct ServeShutdownTests {
    /// `headshot serve` on a fresh SQLite database and a free port, up and ready (imaging loaded).
    final class Server {
        let process = Process()
        let port: Int
        let data = NSTemporaryDirectory() + "headshot-serve-\(UUID().uuidString)"
        var log: String { data + ".log" }
        var environment = ProcessInfo.processInfo.environment

        init() async throws {
            port = try freeLoopbackPort()
            _ = FileManager.default.createFile(atPath: data + ".log", contents: nil)
            process.executableURL = Self.binary
            process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port)]
            process.currentDirectoryURL = CheckCommandTests.packageRoot
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
            let port = port
            let ready = await eventually(90) {
                guard let socket = try? RawSocket(port: port, timeout: 5) else { return false }
                socket.send(Array("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
                return socket.receive().hasPrefix("HTTP/1.1 200")
            }
            if !ready { stop() }
            try #require(ready, "serve did not become ready:\n\(output.suffix(3000))")
        }

        static var binary: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("headshot") }
        var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: log)
        }

        /// Waits for the process to end after a signal; whether it exited with status 0.
        func exitedCleanly() async -> Bool {
            let process = process
            guard await eventually(30, { !process.isRunning }) else {
                Issue.record("serve did not exit after SIGTERM:\n\(output.suffix(3000))")
                return false
            }
            let clean = process.terminationReason == .exit && process.terminationStatus == 0
            if !clean {
                Issue.record("serve ended with \(process.terminationReason == .exit ? "status" : "signal") \(process.terminationStatus):\n\(output.suffix(4000))")
            }
            return clean
        }
    }

    @Test func aRequestInFlightAtSIGTERMIsAnsweredAndServeExitsZero() async throws {
        let server = try await Server()
        defer { server.stop() }
        let port = server.port

        // A sign-in whose body is still on its way when SIGTERM comes; it needs the database to answer.
        let body = Array(#"{"email":"nobody@example.com","password":"not the password at all"}"#.utf8)
        let socket = try RawSocket(port: port, timeout: 30)
        let head = "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        #expect(socket.send(Array(head.utf8) + body.prefix(10)))
        try await Task.sleep(for: .milliseconds(300))
        kill(server.process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(700))
        // No new connection is taken meanwhile.
        #expect((try? RawSocket(port: port, timeout: 5)) == nil, "serve still accepts connections after SIGTERM")
        #expect(socket.send(Array(body.dropFirst(10))))
        let answer = socket.receive()
        #expect(answer.hasPrefix("HTTP/1.1 401"), "the request in flight was not answered: \(answer.prefix(300))\n\(server.output.suffix(3000))")
        // The process then ends on its own, with status 0.
        _ = await server.exitedCleanly()
    }

    /// A client that hangs up while its request is being handled: the server, with no connection left,
    /// stops at once, but the handler goes on (a download being numbered, a photo being checked) and
    /// still needs the database. The drain returns only once that handler has finished.
    @Test func theDrainWaitsForAHandlerWhoseClientHungUp() async throws {
        try await withServedTestApp { app, _, _, port in
            let finished = NIOLockedValueBox(false)
            app.get("test-slow-handler") { req async throws -> String in
                try await Task.sleep(for: .milliseconds(800))
                _ = try await User.query(on: req.db).count()
                finished.withLockedValue { $0 = true }
                return "done"
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let socket = try RawSocket(port: port)
            socket.send(Array("GET /test-slow-handler HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            #expect(await eventually(10) { app.testServices.inFlight.current == 1 }, "the handler never started")
            socket.close()
            await HTTPDrain().shutdownAsync(app)
            await InFlightDrain(requests: app.testServices.inFlight).shutdownAsync(app)
            #expect(finished.withLockedValue { $0 }, "the drain returned while the handler still ran")
            #expect(app.testServices.inFlight.current == 0)
        }
    }
}
