import BlobStorage
import FluentKit
import Foundation
import Logging
import Mail
import SiteRoutes
import SQLKit

/// Prepares data exports: claims a request under a lease (`LeasedWork`), writes the ZIP to storage
/// under the export's own scope (a retry starts it again from scratch), marks it ready for 7 days and
/// emails the owner a link valid for 24 hours, in the transaction that marks it ready.
package struct DataExportWorker {
    package static let interval: Duration = .seconds(2)
    package static let lease: TimeInterval = 300
    package static let backoff: [TimeInterval] = [10, 60, 300, 1800]

    package let context: DomainContext
    package let store: any BlobStore
    package let links: DownloadLinks
    package let db: any Database
    package let logger: Logger
    package let worker: String

    package init(context: DomainContext, store: any BlobStore, links: DownloadLinks, logger: Logger, worker: String? = nil) throws {
        self.context = context
        self.store = store
        self.links = links
        db = try context.database()
        self.logger = logger
        self.worker = worker ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-exports"
    }

    private var leases: LeasedWork { LeasedWork(table: DataExport.schema, subject: DataExport.auditSubject, lease: Self.lease, worker: worker) }

    /// Prepares every export that is due; returns how many became ready.
    @discardableResult
    package func runDue() async throws -> Int {
        var ready = 0
        while let claim = try await leases.claim(now: context.clock.now(), on: db) {
            if try await process(claim) { ready += 1 }
        }
        return ready
    }

    private func process(_ claim: LeasedWork.Claim) async throws -> Bool {
        let store = self.store
        do {
            guard let export = try await DataExport.find(claim.id, on: db), let user = try await User.find(export.userID, on: db) else { return false }
            let key = try BlobKey(scope: DataExport.scope(claim.id), name: "data.zip")
            let entries = try await ExportContents.entries(for: user, store: store, on: db, now: context.clock.now())
            // The ZIP goes straight from storage (the selfies and headshots) back into storage.
            try await store.put(key, body: ZipArchive(entries: entries, store: store), contentType: "application/zip")
            let size = try await store.storedSize(of: key) ?? 0
            let now = context.clock.now()
            try await db.transaction { tx in
                try await leases.finish(claim, status: DataExportStatus.ready.rawValue, """
                    blob_key = \(bind: key.path), byte_size = \(bind: size), ready_at = \(bind: now),
                        expires_at = \(bind: now.addingTimeInterval(DataExports.keptFor)), last_error = NULL
                    """, detail: "\(entries.count) files", at: now, on: tx)
                export.status = .ready
                export.readyAt = now
                let link = try DataExports(db: tx, context: context, links: links, actor: .system()).link(for: export) ?? ""
                try await context.mail.enqueue(MailMessage(to: user.email, subject: "Your data from Headshot Studio is ready", text: """
                    The copy of your data you asked for is ready: your selfies, your headshots, and everything we hold about your account in data.json.

                    Download it (the link works for 24 hours, signed in to your account): \(context.baseURL.absoluteString.trimmingSuffix("/"))\(link)

                    We delete this copy 7 days from now. If you did not ask for it, change your password and look at your activity: \(SiteURL.account(.activity).absolute(on: context.baseURL))
                    """), on: tx)
            }
            logger.info("data export \(claim.id) ready: \(entries.count) files, \(size) bytes")
            return true
        } catch is LeasedWork.FencedOut {
            logger.warning("data export \(claim.id): lease lost; another worker owns it")
            return false
        } catch {
            logger.error("data export \(claim.id) attempt \(claim.attempt) failed: \(error)")
            try? await store.destroyScope(DataExport.scope(claim.id))
            try? await db.transaction { tx in
                try await leases.fail(claim, error: error, backoff: Self.backoff, at: context.clock.now(), on: tx)
            }
            return false
        }
    }
}
