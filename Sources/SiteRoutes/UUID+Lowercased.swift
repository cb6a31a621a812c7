import Foundation

extension UUID {
    /// The canonical lower-case form (`2b28475c-c58d-…`) as links, paths and JSON carry it. Written
    /// byte by byte: `uuidString` formats through `sprintf`, which showed in every signed link a gallery
    /// makes (four hundred a listing).
    package var lowercasedString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var index = 0
                for (position, byte) in bytes.enumerated() {
                    if position == 4 || position == 6 || position == 8 || position == 10 {
                        out[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    out[index] = digits[Int(byte >> 4)]
                    out[index + 1] = digits[Int(byte & 0x0F)]
                    index += 2
                }
                return index
            }
        }
    }
}
