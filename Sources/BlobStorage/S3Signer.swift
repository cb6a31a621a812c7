import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, as specified in AWS's "Signing AWS API requests":
/// a canonical request, a string to sign over its hash, and an HMAC-SHA256 key derived from the
/// secret, the date, the region and the service.
struct S3Signer: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String
    let service = "s3"

    static let emptyPayloadHash = hex(SHA256.hash(data: Data()))
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The headers to add to a request: `Authorization`, `x-amz-date` and `x-amz-content-sha256`.
    func sign(
        method: String, url: URL, headers: [(String, String)], payloadHash: String, date: Date
    ) -> [(String, String)] {
        let amzDate = Self.timestamp(date), day = String(amzDate.prefix(8))
        var all = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
        all.append(("x-amz-date", amzDate))
        all.append(("x-amz-content-sha256", payloadHash))
        var host = url.host ?? ""
        if let port = url.port { host += ":\(port)" }
        all.append(("host", host))
        all.sort { $0.0 < $1.0 }
        let signedHeaders = all.map(\.0).joined(separator: ";")
        let canonical = [
            method,
            Self.encodePath(url.path.isEmpty ? "/" : url.path),
            Self.canonicalQuery(url),
            all.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        return [
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"),
            ("x-amz-date", amzDate),
            ("x-amz-content-sha256", payloadHash),
        ]
    }

    static func payloadHash(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    /// URI-encodes every byte except the unreserved set (and `/` in paths), as SigV4 requires.
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// S3 paths are signed as sent, each segment encoded once.
    static func encodePath(_ path: String) -> String { encode(path, keepSlash: true) }

    static func canonicalQuery(_ url: URL) -> String {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        let pairs: [(String, String)] = items.map { item in
            (encode(item.name, keepSlash: false), encode(item.value ?? "", keepSlash: false))
        }
        let sorted = pairs.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        return sorted.map { pair in pair.0 + "=" + pair.1 }.joined(separator: "&")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
