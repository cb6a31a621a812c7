import Crypto
import Foundation
import SiteRoutes

/// Signed, expiring download links. A link names what it gives (a headshot and a variant, or a ZIP of an
/// order's headshots), whom it
/// is for (the owner's user id) and until when, under a key id so keys can rotate; the signature is
/// HMAC-SHA256 over all of it. A link is honoured only while it is unexpired, untampered, and
/// presented by its owner's session.
package struct DownloadLinks: Sendable {
    /// Default lifetime of a link.
    package static let lifetime: TimeInterval = 15 * 60
    /// No link lives longer than this, whatever it asks for.
    package static let maximumLifetime: TimeInterval = 7 * 24 * 3600

    /// Signing keys by id (the secret's key id); `current` signs new links, every key verifies, so
    /// links survive a rotation of SECRET_KEYS while the older secret is still listed.
    package let keys: [String: SymmetricKey]
    package let current: String
    /// Links signed before key ids followed the secrets carry "v1": any configured secret may have signed them.
    package let legacy: [SymmetricKey]
    /// The current key's HMAC, keyed once: a gallery signs four hundred links a request, and copying
    /// a keyed HMAC saves each of them the key schedule.
    private let signer: HMAC<SHA256>?

    package init(secrets: Secrets) {
        let all = secrets.keys(for: "download-links/v1")
        keys = Dictionary(all.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
        current = secrets.currentID
        legacy = all.map(\.key)
        signer = keys[current].map { HMAC<SHA256>(key: $0) }
    }

    /// What a link opens: one headshot in a variant, or an order's bundle (a ZIP of all or of the favourites).
    package enum Subject: Equatable, Sendable {
        case headshot(UUID, DownloadVariant)
        case bundle(order: UUID, selection: BundleSelection)
        /// A share link the owner created: it opens the full-size headshot without a session.
        case share(UUID)
        /// A ready data export (the ZIP of everything we hold about the user).
        case export(UUID)
        /// One of a job's reference photos, for the predictions provider to fetch while the job runs.
        case reference(job: UUID, photo: UUID)

        package var signed: String {
            switch self {
            case .share(let id): "share|\(id.lowercasedString)"
            case .export(let id): "export|\(id.lowercasedString)"
            case .reference(let job, let photo): "reference|\(job.lowercasedString)|\(photo.lowercasedString)"
            case .headshot(let id, let variant): "headshot|\(id.lowercasedString)|\(variant.rawValue)"
            case .bundle(let order, let selection): "bundle|\(order.lowercasedString)|\(selection.rawValue)"
            }
        }

        package var path: String {
            switch self {
            case .share(let id): SiteURL.shared(.value(id)).path
            case .export(let id): SiteURL.exportDownload(.value(id)).path
            case .reference(let job, let photo): SiteURL.remoteReference(job: .value(job), photo: .value(photo)).path
            case .headshot(let id, let variant): SiteURL.headshotDownload(.value(id), variant: .value(variant.rawValue)).path
            case .bundle(let order, let selection): SiteURL.bundleDownload(.value(order), file: .value(selection.rawValue + ".zip")).path
            }
        }
    }

    package struct Grant: Equatable, Sendable {
        package let subject: Subject
        package let user: UUID
        package let expires: Int
    }

    package enum Refusal: Error, Equatable {
        /// Unknown key, bad signature, or a lifetime beyond the maximum: 403.
        case tampered
        /// Past its expiry: 410, with a fresh link offered to the owner.
        case expired
    }

    package func path(for grant: Grant) -> String {
        "\(grant.subject.path)?exp=\(grant.expires)&kid=\(current)&sig=\(signature(grant, key: current))"
    }

    package func grant(_ subject: Subject, user: UUID, now: Date, lifetime: TimeInterval = lifetime) -> Grant {
        Grant(subject: subject, user: user, expires: Int(now.addingTimeInterval(min(lifetime, Self.maximumLifetime)).timeIntervalSince1970))
    }

    /// Checks a presented link for `user` (the session's owner); the caller checks the session exists.
    package func verify(_ subject: Subject, user: UUID, expires: Int, keyID: String, signature presented: String, now: Date) throws(Refusal) {
        let grant = Grant(subject: subject, user: user, expires: expires)
        let candidates = keyID == "v1" ? legacy : keys[keyID].map { [$0] } ?? []
        guard let given = Data(base64URL: presented),
              candidates.contains(where: { key in
                  guard let expected = Data(base64URL: signature(grant, id: keyID, key: key)) else { return false }
                  return expected.count == given.count && constantTimeEqual(expected, given)
              })
        else { throw .tampered }
        let now = Int(now.timeIntervalSince1970)
        guard expires - now <= Int(Self.maximumLifetime) else { throw .tampered }
        guard expires >= now else { throw .expired }
    }

    private func signature(_ grant: Grant, key id: String) -> String {
        if id == current, var mac = signer {
            mac.update(data: Self.message(grant, id: id))
            return SecureToken.base64URL(Data(mac.finalize()))
        }
        guard let key = keys[id] else { return "" }
        return signature(grant, id: id, key: key)
    }

    private func signature(_ grant: Grant, id: String, key: SymmetricKey) -> String {
        SecureToken.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Self.message(grant, id: id), using: key)))
    }

    private static func message(_ grant: Grant, id: String) -> Data {
        Data("\(grant.subject.signed)|\(grant.user.lowercasedString)|\(grant.expires)|\(id)".utf8)
    }

    private func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    package init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
