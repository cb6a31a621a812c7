import BlobStorage
import NIOCore
import Zip

/// A ZIP of files read from storage (and a few made in memory), produced as it is consumed: whoever
/// reads it (a download's response, a write to storage) pulls each piece when it can take it, so a
/// 300 MB archive never sits in memory.
struct ZipArchive: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    enum Source: Sendable {
        case bytes([UInt8])
        case blob(BlobKey)
    }

    struct Entry: Sendable {
        let name: String
        let source: Source
    }

    let entries: [Entry]
    let store: any BlobStore

    struct AsyncIterator: AsyncIteratorProtocol {
        var zip = ZipStream()
        var remaining: IndexingIterator<[Entry]>
        let store: any BlobStore
        var current: BlobStream.AsyncIterator?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            if current != nil {
                if let chunk = try await current?.next() {
                    zip.add(chunk)
                    return chunk
                }
                current = nil
                return try zip.end()
            }
            guard !finished else { return nil }
            guard let entry = remaining.next() else {
                finished = true
                return try zip.finish()
            }
            let header = zip.begin(entry.name)
            switch entry.source {
            case .bytes(let bytes):
                current = BlobStream { continuation in
                    continuation.yield(ByteBuffer(bytes: bytes))
                    continuation.finish()
                }.makeAsyncIterator()
            case .blob(let key):
                current = try await store.get(key).makeAsyncIterator()
            }
            return header
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: entries.makeIterator(), store: store) }
}
