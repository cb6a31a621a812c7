import Crypto
import Foundation

/// Standard Webhooks signatures, as predictions providers (Replicate among them) sign their calls:
/// headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated
/// list of `v1,<base64>` entries, each HMAC-SHA256 over `id.timestamp.body` with the key that is the
/// base64 after `whsec_` in the secret. Every entry is compared in constant time, and a timestamp more
/// than 5 minutes from now is refused (the providers' own helper libraries skip this; we do not).
/// That a `webhook-id` is processed once is the receiver's job (it records them).
package enum StandardWebhook {
    package static let idHeader = "webhook-id"
    package static let timestampHeader = "webhook-timestamp"
    package static let signatureHeader = "webhook-signature"
    package static let tolerance: TimeInterval = 300

    package enum Problem: Error, Equatable {
        case badSecret
        case missingHeaders
        case invalidSignature
        case staleTimestamp
    }

    /// The key inside a `whsec_…` secret.
    package static func key(_ secret: String) throws -> SymmetricKey {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { throw Problem.badSecret }
        return SymmetricKey(data: data)
    }

    /// The `webhook-signature` value for a body (one `v1,` entry), as a provider sends it.
    package static func signature(id: String, timestamp: Int, body: [UInt8], secret: String) throws -> String {
        "v1," + Data(mac(id: id, timestamp: timestamp, body: body, key: try key(secret))).base64EncodedString()
    }

    /// Verifies a call; throws what is wrong with it. Returns the webhook id (for the once-only record).
    @discardableResult
    package static func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], secret: String, now: Date) throws -> String {
        guard let id, !id.isEmpty, let timestampText = timestamp, let seconds = Int(timestampText), let signature, !signature.isEmpty else {
            throw Problem.missingHeaders
        }
        let expected = Array(Data(mac(id: id, timestamp: seconds, body: body, key: try key(secret))).base64EncodedString().utf8)
        let candidates = signature.split(separator: " ").compactMap { entry -> [UInt8]? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Array(parts[1].utf8)
        }
        // Every candidate is compared, in constant time each: timing tells nothing about which matched.
        let matched = candidates.reduce(false) { found, candidate in candidate.isConstantTimeEqual(to: expected) || found }
        guard matched else { throw Problem.invalidSignature }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw Problem.staleTimestamp }
        return id
    }

    private static func mac(id: String, timestamp: Int, body: [UInt8], key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("\(id).\(timestamp).".utf8) + body, using: key))
    }
}
