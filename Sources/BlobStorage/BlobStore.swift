import NIOCore

/// Where photos and headshots live. One protocol, two implementations: encrypted local disk (the
/// default) and S3-compatible object storage (for scale-out). Both pass the same contract tests.
public protocol BlobStore: Sendable {
    /// Stores the bytes of `body` under `key`, replacing any blob there. Nothing is visible under
    /// `key` until the whole body has been written; a body that throws leaves nothing behind.
    func put<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws
    where Body.Element == ByteBuffer

    /// The blob's bytes as a stream read on demand. Throws `BlobError.notFound`.
    func get(_ key: BlobKey) async throws -> BlobStream

    /// Removes the blob; removing one that does not exist is not an error.
    func delete(_ key: BlobKey) async throws

    /// Every blob whose path (`scope/name`) starts with `prefix`.
    func list(prefix: String) async throws -> [BlobKey]

    func exists(_ key: BlobKey) async throws -> Bool

    /// How many bytes the blob takes in storage (sealed, as stored), or nil when there is none.
    func storedSize(of key: BlobKey) async throws -> Int?

    /// Deletes every blob of a scope (an order). Where blobs are encrypted with the scope's own key,
    /// the key is destroyed first, so any copy left anywhere (a backup, a disk block) is unreadable.
    func destroyScope(_ scope: String) async throws
}

public typealias BlobStream = AsyncThrowingStream<ByteBuffer, any Error>

public enum BlobError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case invalidKey(String)
    /// The stored bytes fail authentication: tampered with, truncated, or their key was destroyed.
    case unreadable(String)
    case tooLarge(limit: Int)
    case backend(String)

    public var description: String {
        switch self {
        case .notFound(let key): "no blob at \(key)"
        case .invalidKey(let key): "invalid blob key \(key)"
        case .unreadable(let key): "blob \(key) cannot be decrypted or verified"
        case .tooLarge(let limit): "blob is larger than \(limit) bytes"
        case .backend(let message): "storage backend: \(message)"
        }
    }
}

/// A blob's address: the scope it belongs to (an order id, so an order's data can be destroyed
/// together) and its name inside the scope. Both are restricted to a safe alphabet, so a key can
/// never climb out of the storage root or collide with another scope.
public struct BlobKey: Hashable, Sendable, CustomStringConvertible {
    public let scope: String
    public let name: String

    public init(scope: String, name: String) throws {
        guard Self.isSafe(scope, allowSlash: false), Self.isSafe(name, allowSlash: true),
              !name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0.hasPrefix(".") })
        else { throw BlobError.invalidKey("\(scope)/\(name)") }
        self.scope = scope
        self.name = name
    }

    /// Parses `scope/name`.
    public init(path: String) throws {
        guard let slash = path.firstIndex(of: "/") else { throw BlobError.invalidKey(path) }
        try self.init(scope: String(path[..<slash]), name: String(path[path.index(after: slash)...]))
    }

    public var path: String { scope + "/" + name }
    public var description: String { path }

    private static func isSafe(_ text: String, allowSlash: Bool) -> Bool {
        !text.isEmpty && text.count <= 200 && !text.hasPrefix(".") && text.unicodeScalars.allSatisfy { c in
            ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "." || (allowSlash && c == "/")
        }
    }
}

extension BlobStore {
    public func put(_ key: BlobKey, bytes: [UInt8], contentType: String) async throws {
        try await put(key, body: OneChunk(buffer: ByteBuffer(bytes: bytes)), contentType: contentType)
    }

    /// The whole blob in memory (for photos, which the imaging engine needs whole anyway).
    public func read(_ key: BlobKey, limit: Int = 64 << 20) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in try await get(key) {
            guard bytes.count + chunk.readableBytes <= limit else { throw BlobError.tooLarge(limit: limit) }
            bytes += chunk.readableBytesView
        }
        return bytes
    }
}

/// A body of one buffer, for callers that already hold the bytes.
struct OneChunk: AsyncSequence, Sendable {
    let buffer: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
