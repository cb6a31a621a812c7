import Crypto
import NIOCore

/// A plaintext body sealed on the fly in the at-rest format of `BlobCipher`: the header first, then
/// each 64 KiB chunk once a byte after it is known, so the last chunk is sealed as the last.
struct SealingBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let cipher: BlobCipher
    let header: [UInt8]

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let cipher: BlobCipher
        var header: [UInt8]?
        var pending: [UInt8] = []
        var index = 0
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            if let header {
                self.header = nil
                return ByteBuffer(bytes: header)
            }
            guard !finished else { return nil }
            while pending.count <= BlobCipher.chunkSize {
                guard let buffer = try await base.next() else {
                    finished = true
                    return ByteBuffer(bytes: try cipher.seal(pending, index: index, final: true))
                }
                pending += buffer.readableBytesView
            }
            let sealed = try cipher.seal(Array(pending.prefix(BlobCipher.chunkSize)), index: index, final: false)
            pending.removeFirst(BlobCipher.chunkSize)
            index += 1
            return ByteBuffer(bytes: sealed)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), cipher: cipher, header: header) }
}

/// Opens a sealed blob as it streams in: reads the header, then opens each chunk when the next byte
/// shows it is not the last. A blob written before client-side encryption (no header) passes through
/// as it is; a sealed blob whose key is gone is unreadable.
final class OpeningStream: @unchecked Sendable {
    // @unchecked: the unfolding stream calls `next` one call at a time.
    private var raw: BlobStream.AsyncIterator
    private let key: SymmetricKey?
    private let path: String
    private var cipher: BlobCipher?
    private var plain = false
    private var pending: [UInt8] = []
    private var index = 0
    private var done = false

    init(_ raw: BlobStream, key: SymmetricKey?, path: String) {
        self.raw = raw.makeAsyncIterator()
        self.key = key
        self.path = path
    }

    var stream: BlobStream { BlobStream(unfolding: { try await self.next() }) }

    private func next() async throws -> ByteBuffer? {
        guard !done else { return nil }
        while true {
            if plain, !pending.isEmpty {
                defer { pending = [] }
                return ByteBuffer(bytes: pending)
            }
            if cipher == nil, !plain, pending.count >= BlobCipher.headerSize {
                if pending.starts(with: BlobCipher.magic) {
                    guard let key else { throw BlobError.unreadable(path) }
                    cipher = try BlobCipher(key: key, path: path, header: Array(pending.prefix(BlobCipher.headerSize)))
                    pending.removeFirst(BlobCipher.headerSize)
                } else {
                    plain = true
                    continue
                }
            }
            if let cipher, pending.count > BlobCipher.sealedChunkSize {
                let chunk = Array(pending.prefix(BlobCipher.sealedChunkSize))
                pending.removeFirst(BlobCipher.sealedChunkSize)
                index += 1
                return ByteBuffer(bytes: try cipher.open(chunk, index: index - 1, final: false))
            }
            guard let buffer = try await raw.next() else {
                done = true
                if let cipher { return ByteBuffer(bytes: try cipher.open(pending, index: index, final: true)) }
                // Shorter than a header: a blob from before encryption (or an empty one).
                return pending.isEmpty ? nil : ByteBuffer(bytes: pending)
            }
            pending += buffer.readableBytesView
        }
    }
}
