/// Reading and writing JPEG marker segments, to plant metadata in test files and to prove the
/// normalised output carries none.
enum JPEGSegments {
    /// Markers of the segments before the image data (SOS), e.g. 0xE1 for APP1 (EXIF/XMP).
    static func markers(_ jpeg: [UInt8]) -> [UInt8] {
        var markers: [UInt8] = []
        var offset = 2
        while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF {
            let marker = jpeg[offset + 1]
            if marker == 0xDA { break }
            markers.append(marker)
            offset += 2 + (Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3]))
        }
        return markers
    }

    /// `jpeg` with a segment inserted right after SOI.
    static func inserting(marker: UInt8, payload: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg.dropFirst(2)
    }

    /// A well-formed EXIF APP1 payload naming a camera ("SpyCam Model X") and a GPS latitude
    /// (N 48° 51' 29"), laid out by hand: TIFF header, IFD0 (Make, GPS pointer), GPS IFD, values.
    static func exifWithGPS() -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] { u16(tag) + u16(type) + u32(count) + value }
        let make = Array("SpyCam Model X".utf8) + [0]          // 15 bytes at offset 38
        let gpsOffset = 54, rationalsOffset = 84
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + u32(8)
        tiff += u16(2) + entry(0x010F, 2, make.count, u32(38)) + entry(0x8825, 4, 1, u32(gpsOffset)) + u32(0)
        tiff += make + [0]                                     // pad to 54
        tiff += u16(2) + entry(0x0001, 2, 2, [0x4E, 0, 0, 0]) + entry(0x0002, 5, 3, u32(rationalsOffset)) + u32(0)
        tiff += u32(48) + u32(1) + u32(51) + u32(1) + u32(29) + u32(1)
        return Array("Exif".utf8) + [0, 0] + tiff
    }

    static func xmp(_ text: String) -> [UInt8] {
        Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\(text)</x:xmpmeta>".utf8)
    }
}

extension Array where Element == UInt8 {
    func contains(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<$0 + needle.count]) == needle }
    }
}
