import Crypto
import Foundation
import NIOPosix
import Testing
@testable import BlobStorage

/// Rotating the master key: data keys record which master key sealed them, older master keys still
/// unwrap, and `rotate()` re-seals everything under the current one.
@Suite("Master key rotation") struct KeyRotationTests {
    let root = NSTemporaryDirectory() + "rotation-\(UUID().uuidString)"
    let old = (id: "kold", key: SymmetricKey(size: .bits256))
    let new = (id: "knew", key: SymmetricKey(size: .bits256))

    func store(_ masters: [(id: String, key: SymmetricKey)]) throws -> LocalBlobStore {
        try LocalBlobStore(root: root + "/blobs", keyring: root + "/keys", masterKeys: masters, threadPool: NIOThreadPool.singleton)
    }

    @Test func dataSealedUnderAnOlderKeyStaysReadableAndIsReSealedUnderTheCurrentOne() async throws {
        let key = try BlobKey(scope: "order-1", name: "uploads/photo.jpg")
        try await store([old]).put(key, bytes: Array("a selfie".utf8), contentType: "image/jpeg")

        let rotating = try store([new, old])
        #expect(try await rotating.read(key) == Array("a selfie".utf8), "the older key still unwraps")
        await #expect(throws: BlobError.self) { _ = try await store([new]).read(key) }

        #expect(try await rotating.rotate() == LocalBlobStore.Rotation(resealed: 1, alreadyCurrent: 0, unreadable: []))
        #expect(try await store([new]).read(key) == Array("a selfie".utf8), "after rotation the old key can go")
        #expect(try await rotating.rotate() == LocalBlobStore.Rotation(resealed: 0, alreadyCurrent: 1, unreadable: []), "running it again does nothing")
        let stored = try Data(contentsOf: URL(fileURLWithPath: root + "/keys/order-1.key"))
        #expect(stored.starts(with: Array("HSK1".utf8) + [4] + Array("knew".utf8)), "the key file records the sealing key's id")
    }

    /// Key files written before key ids existed hold only the sealed box: every configured key is
    /// tried, and rotation moves them to the new format.
    @Test func keyFilesFromBeforeKeyIdsAreReadAndRotated() async throws {
        let key = try BlobKey(scope: "order-2", name: "uploads/photo.jpg")
        try await store([old]).put(key, bytes: [1, 2, 3], contentType: "image/jpeg")
        // Rewrite its key file the way earlier versions did: the AES-GCM box alone.
        let dataKey = SymmetricKey(size: .bits256)
        let legacy = try AES.GCM.seal(dataKey.withUnsafeBytes { Array($0) }, using: old.key, authenticating: Data("order-2".utf8)).combined!
        try legacy.write(to: URL(fileURLWithPath: root + "/keys/order-2.key"))
        let other = try BlobKey(scope: "order-2", name: "uploads/other.jpg")
        let reader = try store([new, old])
        try await reader.put(other, bytes: [9, 9], contentType: "image/jpeg")
        #expect(try await reader.read(other) == [9, 9])
        #expect(try await reader.rotate().resealed == 1)
        #expect(try await store([new]).read(other) == [9, 9])
    }

    @Test func aKeySealedUnderAnUnknownSecretIsNamedNotGuessed() async throws {
        try await store([old]).put(try BlobKey(scope: "order-3", name: "a.jpg"), bytes: [1], contentType: "image/jpeg")
        let result = try await store([new]).rotate()
        #expect(result.unreadable == ["order-3"] && result.resealed == 0)
    }
}
