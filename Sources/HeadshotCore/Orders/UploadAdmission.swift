import Foundation
import Imaging
import NIOConcurrencyHelpers

/// What one person's uploads may hold on this process's disk at once, reserved before any body byte is
/// read and kept while it is spooled: a few requests at a time, and the bytes of one full form (20
/// photos at the size limit) across all of them. A request that says its length reserves it whole
/// before reading; one that does not (chunked) reserves as it reads. Together with the file budget
/// counted at admission (`OrderPhotos.admitUpload`), one account cannot fill the spool with parallel
/// requests that are each within their own limit.
package final class UploadAdmission: Sendable {
    /// Upload requests one person may have streaming at once (the page sends three photos at a time).
    package static let concurrentPerUser = 4

    package let bytesPerUser: Int
    private let state = NIOLockedValueBox<[UUID: (requests: Int, bytes: Int)]>([:])

    package init(bytesPerUser: Int = IncomingFile.maxPerRequest * PhotoLimits().maxBytes + (1 << 20)) {
        self.bytesPerUser = bytesPerUser
    }

    /// A request's hold on its owner's share; `leave` gives back what it holds.
    package final class Ticket: Sendable {
        package let user: UUID
        package let held = NIOLockedValueBox(0)
        package init(user: UUID) { self.user = user }
    }

    /// Takes one of the person's request slots and reserves `expected` bytes (the declared length), or refuses.
    package func enter(user: UUID, expected: Int?) throws(UploadError) -> Ticket {
        let bytes = max(0, expected ?? 0)
        if bytes > bytesPerUser { throw .tooLarge(limit: bytesPerUser) }
        try reserve(bytes, for: user, slot: true)
        let ticket = Ticket(user: user)
        ticket.held.withLockedValue { $0 = bytes }
        return ticket
    }

    /// Counts bytes as they arrive: past what the ticket reserved they are reserved now, within the share.
    package func charge(_ ticket: Ticket, total: Int) throws(UploadError) {
        let extra = ticket.held.withLockedValue { held -> Int in max(0, total - held) }
        guard extra > 0 else { return }
        try reserve(extra, for: ticket.user, slot: false)
        ticket.held.withLockedValue { $0 += extra }
    }

    /// Adds `bytes` (and a request slot) to the person's share, or refuses when that would pass it.
    private func reserve(_ bytes: Int, for user: UUID, slot: Bool) throws(UploadError) {
        let refused = state.withLockedValue { all -> Bool in
            let now = all[user] ?? (0, 0)
            guard !(slot && now.requests >= Self.concurrentPerUser), now.bytes + bytes <= bytesPerUser else { return true }
            all[user] = (now.requests + (slot ? 1 : 0), now.bytes + bytes)
            return false
        }
        if refused { throw .busy(concurrent: Self.concurrentPerUser) }
    }

    /// Gives back the ticket's slot and bytes (the spooled files are gone or handed on by then).
    package func leave(_ ticket: Ticket) {
        let bytes = ticket.held.withLockedValue { held -> Int in defer { held = 0 }; return held }
        state.withLockedValue { all in
            guard let now = all[ticket.user] else { return }
            let next = (requests: now.requests - 1, bytes: now.bytes - bytes)
            all[ticket.user] = next.requests <= 0 && next.bytes <= 0 ? nil : next
        }
    }

    /// What the person holds now (tests and the bench).
    package func holding(_ user: UUID) -> (requests: Int, bytes: Int) { state.withLockedValue { $0[user] ?? (0, 0) } }
}
