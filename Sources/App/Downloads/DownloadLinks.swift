import Crypto
import Foundation

/// Signed, expiring download links. A link names what it gives (a headshot and a variant), whom it
/// is for (the owner's user id) and until when, under a key id so keys can rotate; the signature is
/// HMAC-SHA256 over all of it. A link is honoured only while it is unexpired, untampered, and
/// presented by its owner's session.
struct DownloadLinks: Sendable {
    /// Default lifetime of a link.
    static let lifetime: TimeInterval = 15 * 60
    /// No link lives longer than this, whatever it asks for.
    static let maximumLifetime: TimeInterval = 7 * 24 * 3600

    /// Signing keys by id; `current` signs new links, every key verifies (so old links survive a rotation).
    let keys: [String: SymmetricKey]
    let current: String

    init(secrets: Secrets) {
        // One key today; rotating adds "v2" here and makes it current.
        keys = ["v1": secrets.key(for: "download-links/v1")]
        current = "v1"
    }

    struct Grant: Equatable, Sendable {
        let asset: UUID
        let user: UUID
        let variant: DownloadVariant
        let expires: Int
    }

    enum Refusal: Error, Equatable {
        /// Unknown key, bad signature, or a lifetime beyond the maximum: 403.
        case tampered
        /// Past its expiry: 410, with a fresh link offered to the owner.
        case expired
    }

    func path(for grant: Grant) -> String {
        let id = grant.asset.uuidString.lowercased()
        return "/downloads/headshots/\(id)/\(grant.variant.rawValue)?exp=\(grant.expires)&kid=\(current)&sig=\(signature(grant, key: current))"
    }

    func grant(asset: UUID, user: UUID, variant: DownloadVariant, now: Date, lifetime: TimeInterval = lifetime) -> Grant {
        Grant(asset: asset, user: user, variant: variant, expires: Int(now.addingTimeInterval(min(lifetime, Self.maximumLifetime)).timeIntervalSince1970))
    }

    /// Checks a presented link for `user` (the session's owner); the caller checks the session exists.
    func verify(asset: UUID, variant: DownloadVariant, user: UUID, expires: Int, keyID: String, signature presented: String, now: Date) throws(Refusal) {
        let grant = Grant(asset: asset, user: user, variant: variant, expires: expires)
        guard keys[keyID] != nil, let expected = Data(base64URL: signature(grant, key: keyID)), let given = Data(base64URL: presented),
              expected.count == given.count, constantTimeEqual(expected, given)
        else { throw .tampered }
        let now = Int(now.timeIntervalSince1970)
        guard expires - now <= Int(Self.maximumLifetime) else { throw .tampered }
        guard expires >= now else { throw .expired }
    }

    private func signature(_ grant: Grant, key id: String) -> String {
        guard let key = keys[id] else { return "" }
        let message = "headshot|\(grant.asset.uuidString.lowercased())|\(grant.user.uuidString.lowercased())|\(grant.variant.rawValue)|\(grant.expires)|\(id)"
        return SecureToken.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
    }

    private func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
