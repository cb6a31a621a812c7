import Foundation
import HeadshotTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP client for tests that must misbehave like a real network: stop mid-body, or keep
/// sending after the server has answered.
final class RawSocket: @unchecked Sendable {
    // @unchecked: a socket may be written by one thread while another reads it, which POSIX allows.
    private var fd: Int32
    /// The loopback port it connected to.
    let port: Int

    /// `timeout` bounds each send and receive; generous, because the suite runs many tests at once on two cores.
    init(port: Int, timeout seconds: Int = 60) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            // deinit runs for an initializer that throws once every property is set: it must not close
            // again a number the process may already have handed to another test's file.
            let code = errno
            Glibc.close(fd)
            fd = -1
            throw TestFailure("connect: \(code)")
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Sends all bytes; false when the peer stopped accepting them (closed or reset).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Whatever the server has answered, up to `limit` bytes or until it closes or goes quiet.
    func receive(limit: Int = 1 << 16) -> String {
        var data = [UInt8](repeating: 0, count: limit)
        var filled = 0
        while filled < limit {
            let got = data.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, limit - filled, 0) }
            if got <= 0 { break }
            filled += got
            if String(decoding: data.prefix(filled), as: UTF8.self).contains("\r\n\r\n") { break }
        }
        return String(decoding: data.prefix(filled), as: UTF8.self)
    }

    /// Reads until `marker` has arrived (or the peer closes or goes quiet); returns everything read so far.
    func receive(until marker: String, into text: inout String) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 14)
        while !text.contains(marker) {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if got <= 0 { return false }
            text += String(decoding: chunk.prefix(got), as: UTF8.self)
        }
        return true
    }

    /// `receive(until:into:)` on a thread of its own: a test blocked in `recv` on one of the two
    /// cooperative threads starves the server's own streaming tasks, and two such tests deadlock it.
    func received(until marker: String, after text: String = "") async -> (arrived: Bool, text: String) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var all = text
                let arrived = self.receive(until: marker, into: &all)
                continuation.resume(returning: (arrived, all))
            }
        }
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }
}
