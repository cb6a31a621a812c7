import BlobStorage
import FluentKit
import HeadshotCore
import Logging
import Vapor

/// How the edge hands the core what each domain service uses: the shared context and the named
/// ports, taken from the application's services, so a call site names the service and not its parts.
extension AppServices {
    /// The kind of store, as the deletion proof names it.
    package var storageKind: String { if case .s3 = config.storage { "s3" } else { "local" } }
}

extension Checkout {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, payments: services.payments, uploads: services.uploads, actor: actor)
    }
}

extension DataExports {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, links: services.downloadLinks, actor: actor)
    }
}

extension Deletions {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, passwords: services.passwordHashing, actor: actor)
    }
}

extension Teams {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, payments: services.payments, actor: actor)
    }
}

extension TeamOrders {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, payments: services.payments, uploads: services.uploads, actor: actor)
    }
}

extension TeamTokens {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, payments: services.payments, actor: actor)
    }
}

extension TeamInvitations {
    package init(db: any Database, services: AppServices, actor: AuditActor) {
        self.init(db: db, context: services.domain, payments: services.payments, actor: actor)
    }
}

extension DataExportWorker {
    package init(services: AppServices, logger: Logger, worker: String? = nil) throws {
        try self.init(context: services.domain, store: services.blobStore, links: services.downloadLinks, logger: logger, worker: worker)
    }
}

extension DeletionWorker {
    /// `store` and `worker` default to the services' store and this process's name (tests pass their own).
    package init(services: AppServices, logger: Logger, store: (any BlobStore)? = nil, worker: String? = nil) throws {
        try self.init(context: services.domain, store: store ?? services.blobStore, storage: services.storageKind, remote: services.remote,
                      logger: logger, worker: worker)
    }
}

extension QueueWorker {
    package convenience init(services: AppServices, generator: any Generator, logger: Logger) {
        self.init(context: services.domain, store: services.blobStore, metrics: services.metrics, retention: services.config.retention,
                  queueLease: services.config.queueLease, generator: generator, logger: logger)
    }
}

extension Delivery {
    /// A headshot's square, portrait or thumbnail crop, on the process's imaging engine.
    package static func crop(_ asset: GeneratedAsset, to variant: DownloadVariant, services: AppServices) async throws -> [UInt8] {
        try await crop(asset, to: variant, store: services.blobStore, imaging: services.imaging)
    }
}

// The core's values as the web edge uses them: request and response bodies, and the signed-in user.
extension User: Authenticatable {}
extension Checkout.Choice: Content {}
extension OrderProgress: Content {}
extension CreateTokenRequest: Content {}
extension ProfileRequest: Content {}

/// The core's notification model, not Foundation's `Notification`.
typealias Notification = HeadshotCore.Notification
