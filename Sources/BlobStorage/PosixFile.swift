import Glibc


/// Blocking POSIX file calls for the storage layer, always run on a thread pool. Used instead of
/// Foundation because blob writes need O_EXCL, fsync and atomic rename, and reads need exact sizes.
public final class PosixFile: @unchecked Sendable {
    // @unchecked: one file is only ever used by one task at a time (a write or a read stream).
    let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Creates a new file readable by its owner only; fails if it exists.
    public static func create(_ path: String) throws -> PosixFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PosixError("create \(path)") }
        return PosixFile(descriptor: fd, path: path)
    }

    /// Opens for reading; nil when there is no such file.
    public static func openForReading(_ path: String) throws -> PosixFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { return nil }
        guard fd >= 0 else { throw PosixError("open \(path)") }
        return PosixFile(descriptor: fd, path: path)
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw PosixError("write \(path)") }
            offset += written
        }
    }

    /// Reads exactly `count` bytes, or fewer only at the end of the file.
    public func read(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { raw in Glibc.read(descriptor, raw.baseAddress! + filled, count - filled) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw PosixError("read \(path)") }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes.prefix(filled))
    }

    public func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw PosixError("stat \(path)") }
        return Int(info.st_size)
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw PosixError("fsync \(path)") }
    }

    /// Makes a rename in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw PosixError("rename \(from)") }
    }

    /// Hard-links `from` to `to`, failing if `to` exists: an atomic "create unless present".
    static func linkUnlessExists(_ from: String, to: String) throws -> Bool {
        if link(from, to) == 0 { return true }
        if errno == EEXIST { return false }
        throw PosixError("link \(to)")
    }

    public static func remove(_ path: String) {
        unlink(path)
    }
}

public struct PosixError: Error, CustomStringConvertible {
    public let description: String
    /// The `errno` the call failed with.
    public let code: Int32

    init(_ operation: String) {
        code = errno
        description = "\(operation): \(String(cString: strerror(code)))"
    }

    /// The disk (or the user's quota on it) is full.
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT }
}
