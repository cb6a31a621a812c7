import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Blobs on local disk, encrypted at rest. Each scope (order) has its own random AES-256 data key,
/// stored only wrapped (sealed) by the master key in a key ring kept apart from the blobs; destroying
/// that key makes every copy of the scope's blobs unreadable. Each wrapped key records the id of the
/// master key that sealed it, so master keys can rotate: new keys are sealed under the current one,
/// older ones stay readable while their master key is still configured, and `rotate()` re-seals them. Writes go to a temporary file that is
/// fsynced and then renamed, so a blob is either all there or not there.
public final class LocalBlobStore: BlobStore {
    let root: String
    let keyring: String
    /// The master keys by id; `current` seals new data keys, every one unwraps.
    private let masters: [String: SymmetricKey]
    private let current: String
    private let pool: NIOThreadPool
    private let keys = NIOLockedValueBox<[String: SymmetricKey]>([:])
    private let keyCreation = NIOLock()

    /// - Parameters:
    ///   - root: folder for blobs (`DATA_DIR/blobs`).
    ///   - keyring: folder for the wrapped data keys (`DATA_DIR/blob-keys`).
    ///   - masterKeys: wrap the data keys (derived from SECRET_KEYS), by key id, the current one first.
    /// Folders are created on first write, so a read-only data directory shows up in /readyz rather
    /// than stopping the process.
    public init(root: String, keyring: String, masterKeys: [(id: String, key: SymmetricKey)], threadPool: NIOThreadPool) throws {
        guard let first = masterKeys.first else { throw BlobError.unreadable("no master key") }
        self.root = root
        self.keyring = keyring
        self.masters = Dictionary(masterKeys.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
        self.current = first.id
        self.pool = threadPool
    }

    /// One master key (tests and tools).
    public convenience init(root: String, keyring: String, masterKey: SymmetricKey, threadPool: NIOThreadPool) throws {
        try self.init(root: root, keyring: keyring, masterKeys: [(id: "k0", key: masterKey)], threadPool: threadPool)
    }

    /// What `rotate()` did.
    public struct Rotation: Sendable, Equatable {
        public var resealed = 0
        public var alreadyCurrent = 0
        /// Sealed under a master key that is not configured: left as they are, and named.
        public var unreadable: [String] = []
    }

    /// Re-seals every data key under the current master key, each replaced atomically (a crash leaves
    /// the old or the new, both readable). Safe to run while the service runs, and to run again.
    public func rotate() async throws -> Rotation {
        let keyring = self.keyring, masters = self.masters, current = self.current
        return try await pool.runIfActive {
            var result = Rotation()
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: keyring)) ?? []).filter { $0.hasSuffix(".key") }.sorted()
            for file in files {
                let scope = String(file.dropLast(4)), path = keyring + "/" + file
                guard let wrapped = try PosixFile.openForReading(path)?.read(count: 4096) else { continue }
                guard let (sealer, key) = try? KeyWrapping.unwrap(wrapped, scope: scope, masters: masters) else {
                    result.unreadable.append(scope)
                    continue
                }
                if sealer == current { result.alreadyCurrent += 1; continue }
                let temporary = path + ".tmp-" + UUID().uuidString
                let handle = try PosixFile.create(temporary)
                try handle.write(try KeyWrapping.wrap(key, scope: scope, id: current, master: masters[current]!))
                try handle.sync()
                try PosixFile.rename(temporary, to: path)
                result.resealed += 1
            }
            PosixFile.syncDirectory(keyring)
            return result
        }
    }

    private func filePath(_ key: BlobKey) -> String { root + "/" + key.path }
    private func keyPath(_ scope: String) -> String { keyring + "/" + scope + ".key" }

    public func put<Body: AsyncSequence & Sendable>(_ key: BlobKey, body: Body, contentType: String) async throws
    where Body.Element == ByteBuffer {
        let dataKey = try await dataKey(for: key.scope, create: true)!
        let final = filePath(key)
        let directory = (final as NSString).deletingLastPathComponent
        let temporary = directory + "/.tmp-" + UUID().uuidString
        let header = BlobCipher.newHeader()
        let cipher = try BlobCipher(key: dataKey, path: key.path, header: header)
        let file = try await pool.runIfActive {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = try PosixFile.create(temporary)
            try file.write(header)
            return file
        }
        do {
            var pending: [UInt8] = []
            var index = 0
            for try await buffer in body {
                pending += buffer.readableBytesView
                // A chunk is sealed only once more bytes follow it, so the last one is known to be last.
                while pending.count > BlobCipher.chunkSize {
                    let sealed = try cipher.seal(Array(pending.prefix(BlobCipher.chunkSize)), index: index, final: false)
                    pending.removeFirst(BlobCipher.chunkSize)
                    index += 1
                    try await pool.runIfActive { try file.write(sealed) }
                }
            }
            let last = try cipher.seal(pending, index: index, final: true)
            try await pool.runIfActive {
                try file.write(last)
                try file.sync()
                try PosixFile.rename(temporary, to: final)
                PosixFile.syncDirectory(directory)
            }
        } catch {
            PosixFile.remove(temporary)
            throw error
        }
    }

    public func get(_ key: BlobKey) async throws -> BlobStream {
        guard let dataKey = try await dataKey(for: key.scope, create: false) else { throw BlobError.notFound(key.path) }
        let path = filePath(key)
        let pool = self.pool
        let opened: (PosixFile, [UInt8], Int)? = try await pool.runIfActive {
            guard let file = try PosixFile.openForReading(path) else { return nil }
            let size = try file.size()
            return (file, try file.read(count: BlobCipher.headerSize), size)
        }
        guard let (file, header, size) = opened else { throw BlobError.notFound(key.path) }
        guard let count = BlobCipher.chunkCount(fileSize: size) else { throw BlobError.unreadable(key.path) }
        let reader = ChunkReader(file: file, cipher: try BlobCipher(key: dataKey, path: key.path, header: header), count: count)
        return BlobStream(unfolding: {
            guard let sealed = try await reader.nextSealed(on: pool) else { return nil }
            return ByteBuffer(bytes: try reader.cipher.open(sealed.bytes, index: sealed.index, final: sealed.index == count - 1))
        })
    }

    public func delete(_ key: BlobKey) async throws {
        let path = filePath(key)
        try await pool.runIfActive { PosixFile.remove(path) }
    }

    public func exists(_ key: BlobKey) async throws -> Bool {
        let path = filePath(key)
        return try await pool.runIfActive { FileManager.default.fileExists(atPath: path) }
    }

    public func storedSize(of key: BlobKey) async throws -> Int? {
        let path = filePath(key)
        return try await pool.runIfActive {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        }
    }

    public func list(prefix: String) async throws -> [BlobKey] {
        let root = self.root
        return try await pool.runIfActive {
            guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
            var keys: [BlobKey] = []
            while let relative = walker.nextObject() as? String {
                // Temporary files start with a dot and never parse as keys.
                guard relative.hasPrefix(prefix), let key = try? BlobKey(path: relative) else { continue }
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    keys.append(key)
                }
            }
            return keys.sorted { $0.path < $1.path }
        }
    }

    public func destroyScope(_ scope: String) async throws {
        _ = try BlobKey(scope: scope, name: "x")  // validates the scope
        let keyFile = keyPath(scope), folder = root + "/" + scope, keyring = self.keyring
        keys.withLockedValue { $0[scope] = nil }
        try await pool.runIfActive {
            // The key goes first: from then on nothing of the scope can be read, even if removing the
            // files is interrupted or a copy of them exists elsewhere.
            PosixFile.remove(keyFile)
            PosixFile.syncDirectory(keyring)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// The scope's data key, unwrapped; created (once, even under concurrent first writes) when asked.
    private func dataKey(for scope: String, create: Bool) async throws -> SymmetricKey? {
        if let cached = keys.withLockedValue({ $0[scope] }) { return cached }
        let path = keyPath(scope), masters = self.masters, current = self.current, lock = keyCreation
        let key: SymmetricKey? = try await pool.runIfActive {
            if let wrapped = try PosixFile.openForReading(path)?.read(count: 4096) {
                return try KeyWrapping.unwrap(wrapped, scope: scope, masters: masters).key
            }
            guard create else { return nil }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return try lock.withLock {
                let fresh = SymmetricKey(size: .bits256)
                let wrapped = try KeyWrapping.wrap(fresh, scope: scope, id: current, master: masters[current]!)
                let temporary = path + ".tmp-" + UUID().uuidString
                let file = try PosixFile.create(temporary)
                try file.write(wrapped)
                try file.sync()
                defer { PosixFile.remove(temporary) }
                // link() never replaces: if another process made the key first, theirs is used.
                if try PosixFile.linkUnlessExists(temporary, to: path) { return fresh }
                return try KeyWrapping.unwrap(try PosixFile.openForReading(path)!.read(count: 4096), scope: scope, masters: masters).key
            }
        }
        if let key { keys.withLockedValue { $0[scope] = key } }
        return key
    }
}

/// Reads one sealed chunk at a time; the file closes when the stream is released.
private final class ChunkReader: @unchecked Sendable {
    // @unchecked: the unfolding stream calls `nextSealed` one call at a time.
    let file: PosixFile
    let cipher: BlobCipher
    let count: Int
    private var index = 0

    init(file: PosixFile, cipher: BlobCipher, count: Int) {
        self.file = file
        self.cipher = cipher
        self.count = count
    }

    func nextSealed(on pool: NIOThreadPool) async throws -> (bytes: [UInt8], index: Int)? {
        guard index < count else { return nil }
        let current = index
        index += 1
        let file = self.file
        let bytes = try await pool.runIfActive { try file.read(count: BlobCipher.sealedChunkSize) }
        return (bytes, current)
    }
}
