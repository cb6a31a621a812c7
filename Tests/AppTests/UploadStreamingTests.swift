import Fluent
import Foundation
import Testing
import Vapor
@testable import App

/// Upload bodies over a real socket: the size limit bites while bytes are still arriving, and a
/// connection that dies mid-upload leaves no temporary file, no blob and no row.
@Suite("Upload streaming") struct UploadStreamingTests {
    /// A signed-in client with a fresh order, and a socket to the app served on a free loopback port;
    /// the server is always stopped afterwards.
    static func withOrderSocket(
        _ app: Application, _ body: (_ client: PhotoClient, _ order: String, _ socket: RawSocket) async throws -> Void
    ) async throws {
        let (client, _) = try await PhotoClient.make(app)
        let order = try await client.createOrder()
        let port = try freeLoopbackPort()
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        do { try await body(client, order, try RawSocket(port: port)) } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    static func temporaryFiles(_ app: Application) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: app.config.dataDirectory + "/tmp")) ?? []).filter { $0.hasPrefix("upload-") }
    }

    static func head(order: String, token: String, length: Int) -> [UInt8] {
        Array(("POST /api/v1/orders/\(order)/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: image/jpeg\r\nX-Filename: big.jpg\r\nContent-Length: \(length)\r\n\r\n").utf8)
    }

    @Test func aThirtyMegabyteUploadIsRefusedWhileItStreams() async throws {
        try await withTestApp { app, _ in try await Self.withOrderSocket(app) { client, order, socket async throws in
            let total = 30_000_000
            socket.send(Self.head(order: order, token: client.token, length: total))
            // The sender keeps pushing 1 MB pieces until the server stops taking them.
            let sent = ManagedCounter()
            let sender = Thread {
                let piece = [UInt8](repeating: 0x41, count: 1 << 20)
                while sent.value < total, socket.send(Array(piece.prefix(min(piece.count, total - sent.value)))) {
                    sent.add(min(piece.count, total - sent.value))
                }
            }
            sender.start()
            let answer = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: socket.receive()) }
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("file_too_large"))
            socket.close()
            #expect(await eventually { Self.temporaryFiles(app).isEmpty })
            #expect(try await UploadAsset.query(on: app.db).count() == 0)
        } }
    }

    /// A browser reads the answer only after it has sent the whole file. The server must go on
    /// reading (and discarding) the rest of a refused body, or the browser hangs until it times out.
    @Test func aClientThatReadsOnlyAfterSendingEverythingStillGetsThe413() async throws {
        try await withTestApp { app, _ in try await Self.withOrderSocket(app) { client, order, socket async throws in
            let total = 30_000_000
            let head = Self.head(order: order, token: client.token, length: total)
            let answer = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    var complete = socket.send(head)
                    let piece = [UInt8](repeating: 0x41, count: 1 << 20)
                    var sent = 0
                    while complete, sent < total {
                        let size = min(piece.count, total - sent)
                        complete = socket.send(Array(piece.prefix(size)))
                        sent += size
                    }
                    continuation.resume(returning: (complete, socket.receive()))
                }
            }
            // A server that stops reading stalls the sender until the socket's 60 s send timeout fails it.
            #expect(answer.0, "the server stopped taking the body before it was all sent")
            #expect(answer.1.hasPrefix("HTTP/1.1 413"), "\(answer.1.prefix(200))")
            #expect(answer.1.contains("file_too_large"))
            // The connection is still good for the next request.
            socket.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            #expect(socket.receive().hasPrefix("HTTP/1.1 200"))
            #expect(try await UploadAsset.query(on: app.db).count() == 0)
        } }
    }

    @Test func aConnectionThatDiesMidUploadLeavesNothingBehind() async throws {
        try await withTestApp { app, _ in try await Self.withOrderSocket(app) { client, order, socket async throws in
            let jpeg = try PhotoClient.fixture("faces/person-a/img1.jpg")
            socket.send(Self.head(order: order, token: client.token, length: jpeg.count + 3_000_000))
            socket.send(jpeg)
            // The upload is under way: its temporary file exists.
            #expect(await eventually(30) { !Self.temporaryFiles(app).isEmpty }, "the body never reached the receiver")
            socket.close()
            // Generous: under the full PostgreSQL pass the crash test's worker processes load both cores.
            #expect(await eventually(30) { Self.temporaryFiles(app).isEmpty }, "temporary file left after the client vanished")
            #expect(try await UploadAsset.query(on: app.db).count() == 0)
            #expect(try await app.blobStore.list(prefix: "order-\(order)/").isEmpty)
        } }
    }

    /// A process killed mid-upload cannot clean up: the next `serve` to start removes its files, and
    /// only those (or any older than a day), never one a live process is still receiving.
    @Test func theSpoolSweepRemovesWhatDeadProcessesLeftAndKeepsWhatLiveOnesReceive() throws {
        let spool = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: spool) }
        // A process that has exited: its pid is free.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let mine = UploadSpool.fileName(), dead = "upload-\(finished.processIdentifier)-\(UUID().uuidString)"
        let oldButMine = UploadSpool.fileName(), legacy = "upload-\(UUID().uuidString)", other = "keep-me"
        for name in [mine, dead, oldButMine, legacy, other] {
            #expect(FileManager.default.createFile(atPath: spool + "/" + name, contents: Data("partial".utf8)))
        }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * UploadSpool.staleAfter)],
                                              ofItemAtPath: spool + "/" + oldButMine)
        #expect(UploadSpool.sweep(directory: spool) == 3)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: spool)) == [mine, other])
        #expect(UploadSpool.sweep(directory: spool + "/missing") == 0)
    }
}

/// A counter shared between the test and its sender thread.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add(_ amount: Int) { lock.lock(); count += amount; lock.unlock() }
}
