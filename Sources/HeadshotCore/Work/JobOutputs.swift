import BlobStorage
import FluentKit
import Foundation

/// The sink a running job's generator delivers into: each headshot is stored under a name that
/// carries the attempt's lease token, then recorded in a transaction fenced by that lease. A blob
/// whose record is refused is removed again; a blob orphaned by a killed worker (stored, never
/// recorded) is swept when the next attempt starts.
package struct JobOutputs: HeadshotSink {
    package let claim: JobQueue.Claim
    package let queue: JobQueue
    package let store: any BlobStore
    package let clock: any WallClock
    /// When headshots are deleted (counted from delivery here; retention counts from the order's completion).
    package let retention: RetentionPolicy

    /// Readies a new attempt: sweeps blobs no record points to and returns what was already delivered.
    package func start() async throws -> Set<Int> {
        let delivered = try await queue.resume(claim, now: clock.now())
        try await sweep()
        return delivered
    }

    /// Deletes the order's headshot blobs that no record points to.
    package func sweep() async throws {
        let recorded = Set(try await GeneratedAsset.query(on: queue.db).filter(\.$order.$id == claim.orderID).all(\.$blobKey))
        for key in try await store.list(prefix: Self.prefix(order: claim.orderID)) where !recorded.contains(key.path) {
            // A held order's leftovers wait for the hold's release; its headshots are still made.
            do { try await store.delete(key) } catch where GuardedBlobStore.keptByHold(error) {}
        }
    }

    package func deliver(_ headshot: Headshot) async throws {
        let key = try BlobKey(scope: PhotoKeys.scope(claim.orderID),
                              name: "headshots/\(claim.jobID.uuidString.lowercased())-\(headshot.index)-\(claim.token.uuidString.lowercased()).jpg")
        try await store.put(key, bytes: headshot.jpeg, contentType: "image/jpeg")
        do {
            let now = clock.now()
            try await queue.recordDelivery(claim, headshot, blobKey: key, expiresAt: retention.headshotDeletion(completedAt: now), now: now)
        } catch {
            try? await store.delete(key)
            throw error
        }
    }

    package static func prefix(order: UUID) -> String { PhotoKeys.scope(order) + "/headshots/" }
}
