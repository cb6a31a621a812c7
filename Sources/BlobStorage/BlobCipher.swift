import Crypto
import Foundation

/// The at-rest format of a local blob: a header ("HSB1" + an 8-byte random nonce prefix) and the
/// content in 64 KiB chunks, each sealed with AES-256-GCM. Chunk i uses nonce prefix‖i and
/// authenticates the blob's path, i, and whether it is the last chunk, so chunks cannot be
/// swapped between blobs, reordered, dropped or cut off without the read failing.
struct BlobCipher: Sendable {
    static let magic: [UInt8] = Array("HSB1".utf8)
    static let headerSize = 12
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static var sealedChunkSize: Int { chunkSize + tagSize }

    let key: SymmetricKey
    let path: String
    let noncePrefix: [UInt8]

    static func newHeader() -> [UInt8] { magic + (0..<8).map { _ in UInt8.random(in: .min ... .max) } }

    init(key: SymmetricKey, path: String, header: [UInt8]) throws {
        guard header.count == Self.headerSize, Array(header.prefix(4)) == Self.magic else { throw BlobError.unreadable(path) }
        self.key = key
        self.path = path
        self.noncePrefix = Array(header.suffix(8))
    }

    func seal(_ plaintext: [UInt8], index: Int, final: Bool) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce(index), authenticating: aad(index, final))
        return Array(box.ciphertext) + Array(box.tag)
    }

    func open(_ sealed: [UInt8], index: Int, final: Bool) throws -> [UInt8] {
        guard sealed.count >= Self.tagSize else { throw BlobError.unreadable(path) }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: nonce(index), ciphertext: sealed.dropLast(Self.tagSize), tag: sealed.suffix(Self.tagSize)
            )
            return Array(try AES.GCM.open(box, using: key, authenticating: aad(index, final)))
        } catch {
            throw BlobError.unreadable(path)
        }
    }

    /// How many sealed chunks a file of `fileSize` bytes holds, or nil when the size is impossible.
    static func chunkCount(fileSize: Int) -> Int? {
        let body = fileSize - headerSize
        guard body >= tagSize else { return nil }
        let count = (body + sealedChunkSize - 1) / sealedChunkSize
        let last = body - (count - 1) * sealedChunkSize
        return last >= tagSize ? count : nil
    }

    private func nonce(_ index: Int) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: noncePrefix + [UInt8(index >> 24 & 0xFF), UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)])
    }

    private func aad(_ index: Int, _ final: Bool) -> Data { Data("\(path)|\(index)|\(final ? 1 : 0)".utf8) }
}
