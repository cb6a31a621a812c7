import App
import HeadshotCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `headshot-bench upload --headshot PATH`: runs the real server as a separate process and measures,
/// from the outside, what an upload costs: end-to-end time per photo (stream, check, thumbnails,
/// encrypted store) and the server's resident memory while 30 MB uploads are refused mid-stream.
struct UploadBench {
    let headshot: String
    let fixtures: String
    let rounds: Int

    func run() async throws {
        let data = NSTemporaryDirectory() + "headshot-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        var environment = ProcessInfo.processInfo.environment
        environment["DATA_DIR"] = data
        environment["MODELS_DIR"] = environment["MODELS_DIR"] ?? "models"
        environment.removeValue(forKey: "DATABASE_URL")
        let password = "benchmark-password-\(UUID().uuidString.prefix(8))"
        try launch(["migrate", "--yes"], environment: environment).waitUntilDone()
        try launch(["create-admin", "--email", "bench@example.com", "--password-stdin"], environment: environment, input: password + "\n").waitUntilDone()

        let port = Int.random(in: 20_000...60_000)
        let server = try launch(["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], environment: environment)
        defer { kill(server.processIdentifier, SIGTERM) }
        let site = "http://127.0.0.1:\(port)"
        for _ in 0..<200 {
            if (try? await BenchHTTP.status(site + "/healthz")) == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Ready once the imaging engine has loaded its models and warmed its threads.
        for _ in 0..<600 {
            if (try? await BenchHTTP.status(site + "/readyz")) == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let booted = ProcessMemory.current(pid: server.processIdentifier)
        let token = try await BenchHTTP.json("POST", site + "/api/v1/auth/token", ["email": "bench@example.com", "password": password])["token"] as? String ?? ""
        let pid = server.processIdentifier

        // End to end, one photo at a time: a new order per round keeps the set under 20.
        var perPhoto: [Double] = []
        let photos = try FileManager.default.contentsOfDirectory(atPath: fixtures + "/faces/person-a").sorted()
            .map { try Data(contentsOf: URL(fileURLWithPath: fixtures + "/faces/person-a/" + $0)) }
        for _ in 0..<rounds {
            let order = try await BenchHTTP.json("POST", site + "/api/v1/orders", nil, token: token)["id"] as? String ?? ""
            for photo in photos {
                let start = ContinuousClock.now
                let status = try await upload(photo, to: site + "/api/v1/orders/\(order)/photos", token: token)
                precondition(status == 201, "upload answered \(status)")
                perPhoto.append(milliseconds(ContinuousClock.now - start))
            }
        }
        let afterPhotos = ProcessMemory.current(pid: pid)

        // Oversized uploads: the server must stop at 25 MB while memory stays where it was.
        let order = try await BenchHTTP.json("POST", site + "/api/v1/orders", nil, token: token)["id"] as? String ?? ""
        ProcessMemory.resetPeak(pid: pid)
        let before = ProcessMemory.current(pid: pid)
        var refusals: [Double] = []
        for _ in 0..<10 {
            let start = ContinuousClock.now
            let answer = try oversizedUpload(port: port, path: "/api/v1/orders/\(order)/photos", token: token, bytes: 30_000_000)
            precondition(answer.hasPrefix("HTTP/1.1 413"), "oversized upload answered \(answer.prefix(40))")
            refusals.append(milliseconds(ContinuousClock.now - start))
        }
        let after = ProcessMemory.current(pid: pid)

        print("\nUploads through the running server (release build, \(photos.count) photos × \(rounds) rounds)")
        printTable([
            Row(stage: "upload + check + thumbnails + store, per photo", count: perPhoto.count,
                median: percentile(perPhoto, 0.5), p90: percentile(perPhoto, 0.9), target: ""),
            Row(stage: "30 MB upload refused at 25 MB (413)", count: refusals.count,
                median: percentile(refusals, 0.5), p90: percentile(refusals, 0.9), target: ""),
        ])
        print(String(format: "server RSS once ready (imaging engine loaded at boot): %.0f MB", booted.rss))
        print(String(format: "server RSS after the photos: %.0f MB (peak so far %.0f MB)", afterPhotos.rss, afterPhotos.peak))
        print(String(format: "server RSS during 10 × 30 MB refused uploads: %.0f MB before, peak %.0f MB (growth %.1f MB)",
                     before.rss, after.peak, after.peak - before.rss))
    }

    // MARK: Process and memory

    final class Launched {
        let process: Process
        init(_ process: Process) { self.process = process }
        var processIdentifier: Int32 { process.processIdentifier }
        func waitUntilDone() throws {
            while process.isRunning { usleep(50_000) }
            guard process.terminationStatus == 0 else { throw BenchError("\(process.arguments ?? []) exited with \(process.terminationStatus)") }
        }
    }

    private func launch(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Launched {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: headshot)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        if input != nil { process.standardInput = pipe }
        try process.run()
        if let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        return Launched(process)
    }

    // MARK: HTTP

    private func upload(_ photo: Data, to url: String, token: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("image/jpeg", forHTTPHeaderField: "Content-Type")
        request.httpBody = photo
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Sends headers for `bytes` and streams zeros until the server answers; returns its status line.
    private func oversizedUpload(port: Int, path: String, token: String, bytes: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: image/jpeg\r\nContent-Length: \(bytes)\r\n\r\n"
        _ = head.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        let piece = [UInt8](repeating: 0, count: 1 << 20)
        var sent = 0
        while sent < bytes {
            let wrote = piece.withUnsafeBytes { send(fd, $0.baseAddress!, min($0.count, bytes - sent), Int32(MSG_NOSIGNAL)) }
            if wrote <= 0 { break }
            sent += wrote
        }
        var answer = [UInt8](repeating: 0, count: 4096)
        let got = answer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        return String(decoding: answer.prefix(max(got, 0)), as: UTF8.self)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
