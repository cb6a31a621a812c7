import Fluent
import Foundation
import Testing
import Vapor
import HeadshotTestSupport
@testable import App
@testable import HeadshotCore

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

    /// One account cannot fill the spool with parallel requests that are each within their limit:
    /// with four uploads streaming, a fifth is refused before its body is read; a declared length past
    /// the account's share is refused at once; a form's files are counted against the rate limit before
    /// it is read (and the ones it did not carry given back); a slot is free again once its upload ends.
    @Test func theSpoolIsReservedPerAccountBeforeAnyBodyIsRead() async throws {
        try await withTestApp { app, clock in try await Self.withOrderSocket(app) { client, order, first async throws in
            let port = first.port
            var streaming = [first]
            for _ in 0..<3 { streaming.append(try RawSocket(port: port)) }
            for socket in streaming {
                #expect(socket.send(Self.head(order: order, token: client.token, length: 10_000_000) + [UInt8](repeating: 0x41, count: 4_096)))
            }
            let owner = try #require(try await Order.find(UUID(uuidString: order), on: app.db)).$user.id
            let admission = app.testServices.uploadAdmission
            #expect(await eventually { admission.holding(owner).requests == 4 }, "four uploads are streaming")

            let fifth = try RawSocket(port: port)
            // (Vapor routes a streamed request once its first body bytes arrive: a few are sent, not the rest.)
            #expect(fifth.send(Self.head(order: order, token: client.token, length: 1_000_000) + [UInt8](repeating: 0x41, count: 4_096)))
            let refused = await fifth.received(until: "}}").text
            #expect(refused.hasPrefix("HTTP/1.1 429") && refused.contains("uploads_in_progress"), "\(refused.prefix(300))")

            let huge = try RawSocket(port: port)
            #expect(huge.send(Self.head(order: order, token: client.token, length: admission.bytesPerUser + 1) + [UInt8](repeating: 0x41, count: 4_096)))
            let tooLarge = await huge.received(until: "}}").text
            #expect(tooLarge.hasPrefix("HTTP/1.1 413") || tooLarge.hasPrefix("HTTP/1.1 429"), "\(tooLarge.prefix(300))")
            #expect(Self.temporaryFiles(app).count == 4, "only the four admitted uploads are spooled")

            for socket in streaming { socket.close() }
            #expect(await eventually { admission.holding(owner).requests == 0 && admission.holding(owner).bytes == 0 }, "the share is given back")
            #expect(await eventually { Self.temporaryFiles(app).isEmpty })

            // A form is counted for all the files it may carry before it is read: past the rate limit,
            // refused without reading; within it, the files it did not carry are given back.
            let used = try await RateEvent.query(on: app.db).filter(\.$bucket == RateLimiter.uploads.bucket).count()
            // The photo it carries is checked on the imaging engine the whole suite shares: under a loaded pass
            // it may wait behind renders for longer than a minute.
            let form = try RawSocket(port: port, timeout: 180)
            let boundary = "limit-test-boundary"
            let part = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
                + (try PhotoClient.fixture(PhotoClient.personA[0])) + Array("\r\n--\(boundary)--\r\n".utf8)
            #expect(form.send(Array(("POST /api/v1/orders/\(order)/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(client.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(part.count)\r\nConnection: close\r\n\r\n").utf8) + part))
            let accepted = await form.received(until: "\r\n\r\n").text
            #expect(accepted.hasPrefix("HTTP/1.1 201"), "\(accepted.prefix(300))")
            #expect(try await RateEvent.query(on: app.db).filter(\.$bucket == RateLimiter.uploads.bucket).count() == used + 1,
                    "twenty counted, nineteen given back")
            for _ in 0..<(RateLimiter.uploads.limit - 10) {
                try await RateEvent(bucket: RateLimiter.uploads.bucket, subject: owner.uuidString, at: clock.now()).create(on: app.db)
            }
            let early = try RawSocket(port: port)
            #expect(early.send(Array(("POST /api/v1/orders/\(order)/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(client.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: 90000000\r\n\r\n").utf8) + Array(part.prefix(4_096))))
            let limited = await early.received(until: "}}").text
            #expect(limited.hasPrefix("HTTP/1.1 429") && limited.contains("rate_limited"), "refused before any body byte: \(limited.prefix(300))")
        } }
    }
}

/// A counter shared between the test and its sender thread.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add(_ amount: Int) { lock.lock(); count += amount; lock.unlock() }
}
