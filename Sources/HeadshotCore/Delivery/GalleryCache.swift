import FluentKit
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The galleries this process built lately, so a gallery shown again is not read, numbered and signed
/// (four hundred links for a hundred headshots) again. An entry serves its owner's next requests while
///
/// - the order's gallery revision (raised by the database on any change to its headshots, whichever
///   process made it: `CreateGalleryRevision`) and its status and status time are the ones it was built at,
/// - and it was signed less than `reuseFor` ago. Its links are signed for `DownloadLinks.lifetime` plus
///   `reuseFor`, so whenever it is served they still last the full lifetime the pages promise (the
///   listing states their exact expiry).
///
/// Every process keeps its own entries and validates them against the database, so web nodes never
/// serve each other's stale listings. The API's encoded body is kept beside the gallery.
package final class GalleryCache: Sendable {
    package init() {}
    package struct Key: Hashable {
        package let order: UUID
        package let user: UUID
    }

    package struct Built: Sendable {
        package let revision: Int64
        package let status: OrderStatus
        package let statusChangedAt: Date?
        package let signedAt: Date
        package let gallery: Gallery
        package var encoded: ByteBuffer?
    }

    /// How long one signing of the links is served: a fifteenth of their lifetime.
    package static let reuseFor: TimeInterval = DownloadLinks.lifetime / 15
    /// Galleries kept at most (about 150 kB each for 100 headshots).
    package static let capacity = 512
    private let entries = NIOLockedValueBox<[Key: Built]>([:])

    /// The entry for this order and user while it is still valid at `now`.
    package func valid(_ key: Key, revision: Int64, order: Order, now: Date) -> Built? {
        guard let built = entries.withLockedValue({ $0[key] }),
              built.revision == revision, built.status == order.status, built.statusChangedAt == order.statusChangedAt,
              now >= built.signedAt, now.timeIntervalSince(built.signedAt) < Self.reuseFor
        else { return nil }
        return built
    }

    package func store(_ key: Key, _ built: Built) {
        entries.withLockedValue { entries in
            if entries[key] == nil, entries.count >= Self.capacity {
                let now = built.signedAt
                entries = entries.filter { now.timeIntervalSince($0.value.signedAt) < Self.reuseFor }
                if entries.count >= Self.capacity, let any = entries.keys.first { entries[any] = nil }
            }
            entries[key] = built
        }
    }

    /// Keeps the API's encoding of an entry still current (built at `signedAt`).
    package func store(encoded: ByteBuffer, for key: Key, signedAt: Date) {
        entries.withLockedValue { entries in
            guard entries[key]?.signedAt == signedAt else { return }
            entries[key]?.encoded = encoded
        }
    }
}

extension GalleryCache {
    /// The order's gallery for `user` (the order's owner; the caller has checked that, and that the
    /// headshots may be served): this process's entry while it is valid, otherwise built and kept.
    package func load(order: Order, revision: Int64, user: UUID, links: DownloadLinks, retention: RetentionPolicy, now: Date,
              on db: any Database) async throws -> (key: Key, built: Built) {
        let key = Key(order: try order.requireID(), user: user)
        if let built = valid(key, revision: revision, order: order, now: now) { return (key, built) }
        let built = Built(revision: revision, status: order.status, statusChangedAt: order.statusChangedAt, signedAt: now,
                          gallery: try await Gallery.load(order: order, user: user, links: links, retention: retention, now: now,
                                                         lifetime: DownloadLinks.lifetime + Self.reuseFor, on: db))
        store(key, built)
        return (key, built)
    }
}
