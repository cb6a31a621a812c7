import CZlib
import Foundation
import NIOCore

/// Writes a ZIP archive piece by piece as its entries stream through, so a bundle is never held
/// whole in memory or on disk: each entry is "stored" (JPEGs do not compress further), its CRC-32
/// and sizes follow it in a data descriptor, and the central directory comes last. Names are UTF-8.
/// Without ZIP64, an archive stays under 4 GiB (100 headshots are about 300 MB).
public struct ZipStream {
    public struct TooLarge: Error {}

    public init() {}

    private struct Entry {
        let name: [UInt8]
        let crc: UInt32
        let size: UInt32
        let offset: UInt32
    }

    private var entries: [Entry] = []
    private var offset: UInt64 = 0
    private var current: (name: [UInt8], offset: UInt64, crc: UInt, size: UInt64)?
    /// 2026-01-01 00:00 in MS-DOS form; entry times carry no information about the customer.
    private let dosTime: UInt16 = 0, dosDate: UInt16 = UInt16((2026 - 1980) << 9 | 1 << 5 | 1)
    private static let flags: UInt16 = 0x0808  // data descriptor follows; names are UTF-8

    /// The local header that opens an entry.
    public mutating func begin(_ name: String) -> ByteBuffer {
        let bytes = Array(name.utf8)
        current = (bytes, offset, crc32(0, nil, 0), 0)
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(0x0403_4b50), endianness: .little)
        buffer.writeInteger(UInt16(20), endianness: .little)
        buffer.writeInteger(Self.flags, endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)  // stored
        buffer.writeInteger(dosTime, endianness: .little)
        buffer.writeInteger(dosDate, endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)  // CRC, compressed and plain size: in the descriptor
        buffer.writeInteger(UInt32(0), endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)
        buffer.writeInteger(UInt16(bytes.count), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        buffer.writeBytes(bytes)
        offset += UInt64(buffer.readableBytes)
        return buffer
    }

    /// Counts a chunk of the current entry's data (which the caller sends as it is).
    public mutating func add(_ chunk: ByteBuffer) {
        guard var entry = current else { return }
        chunk.withUnsafeReadableBytes { raw in
            entry.crc = crc32(entry.crc, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count))
        }
        entry.size += UInt64(chunk.readableBytes)
        offset += UInt64(chunk.readableBytes)
        current = entry
    }

    /// The data descriptor that closes the current entry.
    public mutating func end() throws -> ByteBuffer {
        guard let entry = current else { return ByteBuffer() }
        guard entry.size <= UInt64(UInt32.max), entry.offset <= UInt64(UInt32.max) else { throw TooLarge() }
        entries.append(Entry(name: entry.name, crc: UInt32(truncatingIfNeeded: entry.crc), size: UInt32(entry.size), offset: UInt32(entry.offset)))
        current = nil
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(0x0807_4b50), endianness: .little)
        buffer.writeInteger(UInt32(truncatingIfNeeded: entry.crc), endianness: .little)
        buffer.writeInteger(UInt32(entry.size), endianness: .little)
        buffer.writeInteger(UInt32(entry.size), endianness: .little)
        offset += UInt64(buffer.readableBytes)
        return buffer
    }

    /// The central directory and its end record.
    public func finish() throws -> ByteBuffer {
        guard offset <= UInt64(UInt32.max) else { throw TooLarge() }
        var buffer = ByteBuffer()
        for entry in entries {
            buffer.writeInteger(UInt32(0x0201_4b50), endianness: .little)
            buffer.writeInteger(UInt16(20), endianness: .little)  // made by: 2.0
            buffer.writeInteger(UInt16(20), endianness: .little)
            buffer.writeInteger(Self.flags, endianness: .little)
            buffer.writeInteger(UInt16(0), endianness: .little)
            buffer.writeInteger(dosTime, endianness: .little)
            buffer.writeInteger(dosDate, endianness: .little)
            buffer.writeInteger(entry.crc, endianness: .little)
            buffer.writeInteger(entry.size, endianness: .little)
            buffer.writeInteger(entry.size, endianness: .little)
            buffer.writeInteger(UInt16(entry.name.count), endianness: .little)
            buffer.writeInteger(UInt16(0), endianness: .little)  // extra
            buffer.writeInteger(UInt16(0), endianness: .little)  // comment
            buffer.writeInteger(UInt16(0), endianness: .little)  // disk
            buffer.writeInteger(UInt16(0), endianness: .little)  // internal attributes
            buffer.writeInteger(UInt32(0), endianness: .little)  // external attributes
            buffer.writeInteger(entry.offset, endianness: .little)
            buffer.writeBytes(entry.name)
        }
        let directorySize = UInt32(buffer.readableBytes)
        buffer.writeInteger(UInt32(0x0605_4b50), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        buffer.writeInteger(UInt16(entries.count), endianness: .little)
        buffer.writeInteger(UInt16(entries.count), endianness: .little)
        buffer.writeInteger(directorySize, endianness: .little)
        buffer.writeInteger(UInt32(offset), endianness: .little)
        buffer.writeInteger(UInt16(0), endianness: .little)
        return buffer
    }
}
