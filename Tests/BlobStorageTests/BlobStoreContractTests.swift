import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import BlobStorage

/// The one contract every `BlobStore` keeps, run against encrypted local disk and against a real
/// S3-compatible server (moto, started by `make test`; TEST_S3_ENDPOINT).
@Suite("Blob storage contract") struct BlobStoreContractTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case local, s3
        var testDescription: String { rawValue }
    }

    static var backends: [Backend] {
        ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] == nil ? [.local] : [.local, .s3]
    }

    static func store(_ backend: Backend) async throws -> any BlobStore {
        switch backend {
        case .local:
            return try LocalStoreFixture().store
        case .s3:
            let store = S3Fixture.store()
            try await store.createBucketIfMissing()
            return store
        }
    }

    /// A fresh scope per test, so tests never see each other's blobs on the shared bucket.
    static func scope() -> String { "order-" + UUID().uuidString.lowercased() }

    static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test(arguments: backends)
    func blobsOfEverySizeComeBackByteForByte(_ backend: Backend) async throws {
        let store = try await Self.store(backend), scope = Self.scope()
        for size in [0, 1, 65_536, 65_537, 200_000] {
            let bytes = Self.random(size)
            let key = try BlobKey(scope: scope, name: "uploads/\(size).bin")
            try await store.put(key, bytes: bytes, contentType: "application/octet-stream")
            #expect(try await store.read(key) == bytes, "size \(size)")
            #expect(try await store.exists(key))
        }
    }

    @Test(arguments: backends)
    func aLargeStreamedBlobIsStoredInPartsAndReadBack(_ backend: Backend) async throws {
        let store = try await Self.store(backend), key = try BlobKey(scope: Self.scope(), name: "big.bin")
        // 20 MB in 1 MB pieces: three S3 multipart parts, 306 sealed chunks on disk.
        let piece = Self.random(1 << 20)
        let body = ChunkedBody(pieces: 20, piece: piece)
        try await store.put(key, body: body, contentType: "application/octet-stream")
        var digest = SHA256(), total = 0
        for try await chunk in try await store.get(key) {
            digest.update(data: Data(chunk.readableBytesView))
            total += chunk.readableBytes
        }
        var expected = SHA256()
        for _ in 0..<20 { expected.update(data: Data(piece)) }
        #expect(total == 20 << 20)
        #expect(digest.finalize() == expected.finalize())
    }

    @Test(arguments: backends)
    func aMissingBlobIsNotFoundAndDeletingItIsHarmless(_ backend: Backend) async throws {
        let store = try await Self.store(backend), key = try BlobKey(scope: Self.scope(), name: "nothing.jpg")
        await #expect(throws: BlobError.notFound(key.path)) { _ = try await store.get(key) }
        #expect(try await store.exists(key) == false)
        try await store.delete(key)
    }

    @Test(arguments: backends)
    func puttingAgainReplacesAndDeleteRemoves(_ backend: Backend) async throws {
        let store = try await Self.store(backend), key = try BlobKey(scope: Self.scope(), name: "photo.jpg")
        try await store.put(key, bytes: Array("first".utf8), contentType: "image/jpeg")
        try await store.put(key, bytes: Array("second".utf8), contentType: "image/jpeg")
        #expect(try await store.read(key) == Array("second".utf8))
        try await store.delete(key)
        #expect(try await store.exists(key) == false)
    }

    @Test(arguments: backends)
    func listingByPrefixFindsExactlyThoseBlobs(_ backend: Backend) async throws {
        let store = try await Self.store(backend), scope = Self.scope(), other = Self.scope()
        for name in ["uploads/a.jpg", "uploads/b.jpg", "thumbs/a-256.jpg"] {
            try await store.put(try BlobKey(scope: scope, name: name), bytes: [1, 2, 3], contentType: "image/jpeg")
        }
        try await store.put(try BlobKey(scope: other, name: "uploads/a.jpg"), bytes: [4], contentType: "image/jpeg")
        #expect(try await store.list(prefix: scope + "/uploads/").map(\.name) == ["uploads/a.jpg", "uploads/b.jpg"])
        #expect(try await store.list(prefix: scope + "/").count == 3)
        #expect(try await store.list(prefix: other + "/").count == 1)
    }

    @Test(arguments: backends)
    func destroyingAScopeRemovesAllItsBlobs(_ backend: Backend) async throws {
        let store = try await Self.store(backend), scope = Self.scope()
        let keys = try ["uploads/a.jpg", "thumbs/a-256.jpg"].map { try BlobKey(scope: scope, name: $0) }
        for key in keys { try await store.put(key, bytes: [9, 9, 9], contentType: "image/jpeg") }
        try await store.destroyScope(scope)
        #expect(try await store.list(prefix: scope + "/").isEmpty)
        for key in keys { await #expect(throws: BlobError.self) { _ = try await store.read(key) } }
    }

    @Test(arguments: backends)
    func aBodyThatFailsMidwayLeavesNothingBehind(_ backend: Backend) async throws {
        let store = try await Self.store(backend), scope = Self.scope(), key = try BlobKey(scope: scope, name: "uploads/cut.jpg")
        // 9 MB then the connection "drops": past one S3 part, so a multipart upload is started and must be aborted.
        let body = ChunkedBody(pieces: 9, piece: Self.random(1 << 20), failAfter: 9)
        await #expect(throws: ChunkedBody.Dropped.self) { try await store.put(key, body: body, contentType: "image/jpeg") }
        #expect(try await store.exists(key) == false)
        #expect(try await store.list(prefix: scope + "/").isEmpty)
        switch backend {
        case .local:
            let folder = (store as! LocalBlobStore).root + "/" + scope + "/uploads"
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty, "temporary file left")
        case .s3:
            #expect(try await (store as! S3BlobStore).pendingMultipartUploads(prefix: scope + "/").isEmpty)
        }
    }
}

/// Encrypted-at-rest properties of the local store.
@Suite("Local blob encryption") struct LocalBlobEncryptionTests {
    @Test func aStoredPhotoIsNotReadableAsAJPEGOnDisk() async throws {
        let fixture = try LocalStoreFixture()
        let jpeg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixture.path("faces/person-a/img2.jpg"))))
        let key = try BlobKey(scope: "order-1", name: "uploads/photo.jpg")
        try await fixture.store.put(key, bytes: jpeg, contentType: "image/jpeg")
        let onDisk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.store.root + "/" + key.path)))
        #expect(!onDisk.starts(with: [0xFF, 0xD8]))
        #expect(onDisk.starts(with: Array("HSB1".utf8)))
        #expect(!Data(onDisk).contains(Data("JFIF".utf8)) && !Data(onDisk).contains(Data(jpeg[100..<164])))
        #expect(try await fixture.store.read(key) == jpeg)
    }

    @Test func aTamperedOrTruncatedBlobIsRefused() async throws {
        let fixture = try LocalStoreFixture()
        let key = try BlobKey(scope: "order-1", name: "uploads/photo.jpg")
        try await fixture.store.put(key, bytes: BlobStoreContractTests.random(150_000), contentType: "image/jpeg")
        let path = fixture.store.root + "/" + key.path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[70_000] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        await #expect(throws: BlobError.unreadable(key.path)) { _ = try await fixture.store.read(key) }
        bytes[70_000] ^= 0x01
        // Cut at a chunk boundary: every remaining chunk is intact, but the last is not marked final.
        try Data(bytes.prefix(BlobCipher.headerSize + BlobCipher.sealedChunkSize)).write(to: URL(fileURLWithPath: path))
        await #expect(throws: BlobError.unreadable(key.path)) { _ = try await fixture.store.read(key) }
    }

    @Test func destroyingAnOrdersKeyMakesEveryCopyOfItsBlobsUnreadable() async throws {
        let fixture = try LocalStoreFixture()
        let key = try BlobKey(scope: "order-1", name: "uploads/photo.jpg")
        try await fixture.store.put(key, bytes: Array("a selfie".utf8), contentType: "image/jpeg")
        let path = fixture.store.root + "/" + key.path
        let backup = try Data(contentsOf: URL(fileURLWithPath: path))   // e.g. a copy in last night's backup
        try await fixture.store.destroyScope("order-1")
        // The copy comes back, and the scope is used again (with a new key): the copy stays unreadable.
        try await fixture.store.put(try BlobKey(scope: "order-1", name: "uploads/other.jpg"), bytes: [1], contentType: "image/jpeg")
        try backup.write(to: URL(fileURLWithPath: path))
        await #expect(throws: BlobError.unreadable(key.path)) { _ = try await fixture.store.read(key) }
        // And a store opened with another master key cannot read anything.
        let stranger = try LocalBlobStore(root: fixture.store.root, keyring: fixture.store.keyring,
                                          masterKey: SymmetricKey(size: .bits256), threadPool: NIOThreadPool.singleton)
        await #expect(throws: BlobError.self) { _ = try await stranger.read(try BlobKey(scope: "order-1", name: "uploads/other.jpg")) }
    }

    @Test func keysCannotEscapeTheStorageRoot() {
        for bad in ["../etc/passwd", "a/../../b", "/abs", "A/Upper", "scope/.hidden", "scope//double", "scope/"] {
            #expect(throws: BlobError.self) { _ = try BlobKey(path: bad) }
        }
    }
}

/// A local store in a fresh temporary folder.
struct LocalStoreFixture {
    let store: LocalBlobStore

    init() throws {
        let root = NSTemporaryDirectory() + "blobs-\(UUID().uuidString)"
        store = try LocalBlobStore(root: root + "/blobs", keyring: root + "/keys", masterKey: SymmetricKey(size: .bits256),
                                   threadPool: NIOThreadPool.singleton)
    }
}

enum S3Fixture {
    /// A store with its own key ring and master key (a deployment keeps the ring in its database).
    static func store(settings: S3Settings = settings, ring: MemoryKeyRing = MemoryKeyRing()) -> S3BlobStore {
        S3BlobStore(settings: settings, client: HTTPClient.shared, keys: DataKeys(ring: ring, masterKeys: [("k1", masterKey)]))
    }

    static let masterKey = SymmetricKey(size: .bits256)

    static var settings: S3Settings {
        S3Settings(
            endpoint: URL(string: ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] ?? "http://127.0.0.1:1")!,
            region: "us-east-1", bucket: "headshot-test", accessKeyID: "testing", secretAccessKey: "testing"
        )
    }
}

/// `pieces` copies of `piece`, one at a time, optionally failing like a dropped connection.
struct ChunkedBody: AsyncSequence, Sendable {
    struct Dropped: Error {}
    let pieces: Int
    let piece: [UInt8]
    var failAfter: Int? = nil

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: ChunkedBody
        var sent = 0
        mutating func next() async throws -> ByteBuffer? {
            if let limit = body.failAfter, sent == limit { throw Dropped() }
            guard sent < body.pieces else { return nil }
            sent += 1
            return ByteBuffer(bytes: body.piece)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}

/// The project's test photos (Tests/Fixtures).
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { root.appendingPathComponent(name).path }
}

/// The key ring a deployment keeps in its database (`blob_data_keys`), kept in memory for the storage tests.
actor MemoryKeyRing: DataKeyRing {
    private var keys: [String: [UInt8]] = [:]

    func wrappedKey(scope: String) -> [UInt8]? { keys[scope] }

    func storeIfAbsent(scope: String, wrapped: [UInt8]) -> [UInt8] {
        if let existing = keys[scope] { return existing }
        keys[scope] = wrapped
        return wrapped
    }

    func destroy(scope: String) { keys[scope] = nil }
}

/// Client-side encryption of the S3 store: the bucket holds only ciphertext, and destroying a scope's
/// key makes a copy of its objects (a version, a replica, a backup) unreadable.
@Suite("S3 client-side encryption", .enabled(if: ProcessInfo.processInfo.environment["TEST_S3_ENDPOINT"] != nil, "needs moto (make test)"))
struct S3EncryptionTests {
    static func raw(_ store: S3BlobStore, _ key: BlobKey) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in try await store.getRaw(key) { bytes += chunk.readableBytesView }
        return bytes
    }

    @Test func theBucketHoldsCiphertextAndACopyIsUnreadableOnceTheScopesKeyIsDestroyed() async throws {
        let store = S3Fixture.store()
        try await store.createBucketIfMissing()
        let scope = BlobStoreContractTests.scope()
        let jpeg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixture.path("faces/person-a/img2.jpg"))))
        let key = try BlobKey(scope: scope, name: "uploads/photo.jpg")
        try await store.put(key, bytes: jpeg, contentType: "image/jpeg")

        let stored = try await Self.raw(store, key)
        #expect(stored.starts(with: Array("HSB1".utf8)) && !stored.starts(with: [0xFF, 0xD8]))
        #expect(!Data(stored).contains(Data(jpeg[100..<164])), "no plaintext in the bucket")
        #expect(try await store.storedSize(of: key) == stored.count)
        #expect(try await store.read(key) == jpeg)

        // Another deployment's master key opens nothing.
        let stranger = S3BlobStore(settings: S3Fixture.settings, client: HTTPClient.shared,
                                   keys: DataKeys(ring: MemoryKeyRing(), masterKeys: [("k1", SymmetricKey(size: .bits256))]))
        await #expect(throws: BlobError.self) { _ = try await stranger.read(key) }

        try await store.destroyScope(scope)
        #expect(try await store.list(prefix: scope + "/").isEmpty)
        // The copy comes back (an old version, a restored backup): it cannot be read.
        try await store.putRaw(key, body: OneChunk(buffer: ByteBuffer(bytes: stored)), contentType: "application/octet-stream")
        await #expect(throws: BlobError.unreadable(key.path)) { _ = try await store.read(key) }
        try await store.delete(key)
    }

    @Test func anObjectWrittenBeforeEncryptionIsStillRead() async throws {
        let store = S3Fixture.store()
        try await store.createBucketIfMissing()
        let key = try BlobKey(scope: BlobStoreContractTests.scope(), name: "uploads/old.jpg")
        let bytes = BlobStoreContractTests.random(70_000)
        try await store.putRaw(key, body: OneChunk(buffer: ByteBuffer(bytes: bytes)), contentType: "image/jpeg")
        #expect(try await store.read(key) == bytes)
        try await store.destroyScope(key.scope)
    }
}
