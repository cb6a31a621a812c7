import Crypto
import Foundation

/// Derives one independent key per purpose from the master secret, so a key leaked from one
/// feature (say, CSRF) says nothing about another (say, download links).
///
/// Secrets rotate: `SECRET_KEYS` lists the current secret first and older ones after it. New keys
/// come from the current one; what was sealed or signed under an older one (blob data keys, download
/// links) stays readable through `keys(for:)`, each under its secret's key id.
package struct Secrets: Sendable {
    private let masters: [(id: String, key: SymmetricKey)]

    package init(_ bytes: SymmetricKeyBytes, previous: [SymmetricKeyBytes] = []) {
        masters = ([bytes] + previous).map { bytes in
            let key = SymmetricKey(data: bytes.bytes)
            return (Self.keyID(of: key), key)
        }
    }

    /// The current secret's id: a short digest, safe to store and show.
    package var currentID: String { masters[0].id }

    /// The key for `purpose` under the current secret.
    package func key(for purpose: String) -> SymmetricKey {
        Self.derive(masters[0].key, purpose)
    }

    /// The key for `purpose` under every configured secret, by key id, the current one first.
    package func keys(for purpose: String) -> [(id: String, key: SymmetricKey)] {
        masters.map { ($0.id, Self.derive($0.key, purpose)) }
    }

    private static func derive(_ master: SymmetricKey, _ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("headshot-studio/\(purpose)".utf8), outputByteCount: 32)
    }

    package static func keyID(of master: SymmetricKey) -> String {
        let digest = derive(master, "key-id").withUnsafeBytes { Array($0) }
        return "k" + digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}

/// Random bearer secrets and their stored digests.
package enum SecureToken {
    /// 32 random bytes, URL-safe base64, with a short prefix that says what the token is for.
    package static func generate(prefix: String) -> String {
        prefix + base64URL(Data([UInt8].random(count: 32)))
    }

    /// What the database keeps instead of the token: a leaked table cannot be replayed.
    /// (Written out by hand: `String(format:)` per byte showed in the profile of every signed-in request.)
    package static func digest(_ token: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 with `-` and `_` and no padding (RFC 4648 §5). Mapped byte by byte: Foundation's string
    /// search took a quarter of the gallery listing's time, which signs 400 links.
    package static func base64URL(_ data: Data) -> String {
        var out: [UInt8] = []
        let encoded = data.base64EncodedData()
        out.reserveCapacity(encoded.count)
        for byte in encoded {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    package static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// The raw secret bytes (at least 32) from which every signing and encryption key is derived.
package struct SymmetricKeyBytes: Sendable, Equatable {
    package let bytes: [UInt8]
    package init(_ bytes: [UInt8]) { self.bytes = bytes }
}

extension Collection where Element: Equatable {
    /// Compares every element whatever the first difference, so the time taken says nothing about
    /// where two secrets differ (different lengths are unequal).
    package func isConstantTimeEqual<C: Collection>(to other: C) -> Bool where C.Element == Element {
        var equal = count == other.count
        for (a, b) in zip(self, other) where a != b { equal = false }
        return equal
    }
}
