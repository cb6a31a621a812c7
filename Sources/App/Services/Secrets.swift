import Crypto
import Foundation

/// Derives one independent key per purpose from the master secret, so a key leaked from one
/// feature (say, CSRF) says nothing about another (say, download links).
public struct Secrets: Sendable {
    private let master: SymmetricKey

    public init(_ bytes: SymmetricKeyBytes) {
        master = SymmetricKey(data: bytes.bytes)
    }

    public func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("headshot-studio/\(purpose)".utf8), outputByteCount: 32)
    }
}

/// Random bearer secrets and their stored digests.
public enum SecureToken {
    /// 32 random bytes, URL-safe base64, with a short prefix that says what the token is for.
    public static func generate(prefix: String) -> String {
        prefix + base64URL(Data([UInt8].random(count: 32)))
    }

    /// What the database keeps instead of the token: a leaked table cannot be replayed.
    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
