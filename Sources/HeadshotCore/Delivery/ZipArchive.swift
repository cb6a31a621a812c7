import Foundation
import BlobStorage
import NIOCore
import Zip

/// A ZIP of files read from storage (and a few made in memory), produced as it is consumed: whoever
/// reads it (a download's response, a write to storage) pulls each piece when it can take it, so a
/// 300 MB archive never sits in memory.
package struct ZipArchive: AsyncSequence, Sendable {
    package typealias Element = ByteBuffer

    package enum Source: Sendable {
        case bytes([UInt8])
        case blob(BlobKey)
    }

    package struct Entry: Sendable {
        package let name: String
        package let source: Source

        package init(name: String, source: Source) {
            self.name = name
            self.source = source
        }
    }

    package let entries: [Entry]
    package let store: any BlobStore

    package init(entries: [Entry], store: any BlobStore) {
        self.entries = entries
        self.store = store
    }

    package struct AsyncIterator: AsyncIteratorProtocol {
        package var zip = ZipStream()
        package var remaining: IndexingIterator<[Entry]>
        package let store: any BlobStore
        package var current: BlobStream.AsyncIterator?
        package var finished = false

        package mutating func next() async throws -> ByteBuffer? {
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

    package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: entries.makeIterator(), store: store) }
}
