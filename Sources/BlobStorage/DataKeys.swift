import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Where the wrapped (sealed) per-scope data keys of a store live, apart from the blobs: destroying a
/// scope's key there makes every copy of its blobs unreadable, wherever the copies are (a versioned
/// bucket, a replica, a backup). For S3 the ring is a database table, shared by every process.
public protocol DataKeyRing: Sendable {
    /// The scope's wrapped key, or nil when it has none (never had, or destroyed).
    func wrappedKey(scope: String) async throws -> [UInt8]?
    /// Stores `wrapped` unless the scope has a key already; returns the scope's key as stored (so of
    /// two processes creating one at once, both use the first).
    func storeIfAbsent(scope: String, wrapped: [UInt8]) async throws -> [UInt8]
    /// Destroys the scope's key for good.
    func destroy(scope: String) async throws
}

/// Per-scope AES-256 data keys, created on first use, sealed by the master key (the newest of
/// `SECRET_KEYS`, any of them opens) and kept in a `DataKeyRing`; unwrapped keys are cached.
public final class DataKeys: Sendable {
    let ring: any DataKeyRing
    let masters: [String: SymmetricKey]
    let current: String
    private let cache = NIOLockedValueBox<[String: SymmetricKey]>([:])

    /// `masterKeys` newest first; the first seals new keys.
    public init(ring: any DataKeyRing, masterKeys: [(id: String, key: SymmetricKey)]) {
        precondition(!masterKeys.isEmpty, "at least one master key")
        self.ring = ring
        self.masters = Dictionary(masterKeys.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
        self.current = masterKeys[0].id
    }

    /// The scope's key; created when `create` (the first write), nil when it has none.
    public func key(for scope: String, create: Bool) async throws -> SymmetricKey? {
        if let cached = cache.withLockedValue({ $0[scope] }) { return cached }
        var wrapped = try await ring.wrappedKey(scope: scope)
        if wrapped == nil, create {
            let fresh = SymmetricKey(size: .bits256)
            wrapped = try await ring.storeIfAbsent(scope: scope, wrapped: try KeyWrapping.wrap(fresh, scope: scope, id: current, master: masters[current]!))
        }
        guard let wrapped else { return nil }
        let key = try KeyWrapping.unwrap(wrapped, scope: scope, masters: masters).key
        cache.withLockedValue { $0[scope] = key }
        return key
    }

    /// Destroys the scope's key: from now on nothing stored under the scope can be read.
    public func destroy(scope: String) async throws {
        cache.withLockedValue { $0[scope] = nil }
        try await ring.destroy(scope: scope)
    }
}

/// How a data key is sealed for storage: "HSK1", the sealing master key's id (one length byte, then
/// ASCII), and the AES-GCM box of the key, authenticated with the scope. Boxes from before key ids
/// (the box alone) are opened by trying every configured master key.
enum KeyWrapping {
    static let magic: [UInt8] = Array("HSK1".utf8)

    static func wrap(_ key: SymmetricKey, scope: String, id: String, master: SymmetricKey) throws -> [UInt8] {
        let box = try AES.GCM.seal(key.withUnsafeBytes { Array($0) }, using: master, authenticating: Data(scope.utf8)).combined!
        let idBytes = Array(id.utf8)
        return magic + [UInt8(idBytes.count)] + idBytes + Array(box)
    }

    /// The data key and the id of the master key that sealed it.
    static func unwrap(_ wrapped: [UInt8], scope: String, masters: [String: SymmetricKey]) throws -> (id: String, key: SymmetricKey) {
        func open(_ box: [UInt8], _ master: SymmetricKey) -> SymmetricKey? {
            guard let sealed = try? AES.GCM.SealedBox(combined: box),
                  let key = try? AES.GCM.open(sealed, using: master, authenticating: Data(scope.utf8)) else { return nil }
            return SymmetricKey(data: key)
        }
        if wrapped.starts(with: magic), wrapped.count > magic.count + 1 {
            let length = Int(wrapped[magic.count]), start = magic.count + 1
            guard wrapped.count > start + length else { throw BlobError.unreadable(scope + " (data key)") }
            let id = String(decoding: wrapped[start..<(start + length)], as: UTF8.self)
            guard let master = masters[id] else {
                throw BlobError.unreadable(scope + " (data key sealed under master key \(id), which is not among SECRET_KEYS)")
            }
            guard let key = open(Array(wrapped[(start + length)...]), master) else { throw BlobError.unreadable(scope + " (data key)") }
            return (id, key)
        }
        for (id, master) in masters.sorted(by: { $0.key < $1.key }) {
            if let key = open(wrapped, master) { return ("legacy:" + id, key) }
        }
        throw BlobError.unreadable(scope + " (data key)")
    }
}
