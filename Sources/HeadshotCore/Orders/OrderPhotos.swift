import BlobStorage
import FluentKit
import SQLKit
import Foundation
import Imaging

/// The photo flow shared by the pages and the API: owner-checked lookups, adding and removing
/// photos, thumbnails and the set's readiness. It takes ids and files and returns domain values;
/// the controllers read requests and write responses. Anything not owned by the caller is "not
/// found", never "forbidden", so ids of other people's orders reveal nothing.
package struct OrderPhotos {
    package let db: any Database
    package let context: DomainContext
    package let uploads: UploadPorts
    /// Whose orders these are.
    package let owner: UUID
    /// Who acts, for the audit trail.
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, uploads: UploadPorts, owner: UUID, actor: AuditActor) {
        self.db = db
        self.context = context
        self.uploads = uploads
        self.owner = owner
        self.actor = actor
    }

    private var now: Date { context.clock.now() }

    /// The owner's order (not found for a missing id or anyone else's order).
    package func order(_ id: UUID?) async throws -> Order {
        guard let id, let order = try await Order.owned(id, by: owner, on: db) else { throw Failure.notFound("We couldn't find that order.") }
        return order
    }

    /// A photo of the order (not found otherwise).
    package func photo(_ id: UUID?, of order: Order) async throws -> UploadAsset {
        guard let id,
              let upload = try await UploadAsset.query(on: db).filter(\.$id == id).filter(\.$order.$id == order.requireID())
                  .filter(\.$status != .deleted).first()
        else { throw Failure.notFound("We couldn't find that photo.") }
        return upload
    }

    /// The owner's newest draft, or a new one: "New headshots" never leaves a trail of empty drafts.
    package func openDraft() async throws -> Order {
        if let draft = try await Order.query(on: db).filter(\.$user.$id == owner).filter(\.$status == .draft)
            .filter(\.$kind == .headshots).filter(\.$teamID == nil).sort(\.$createdAt, .descending).first() {
            return draft
        }
        let order = Order(userID: owner)
        try await order.create(on: db)
        try await Audit.record("order.created", subjectType: Order.auditSubject, subjectID: order.id, by: actor, at: now, on: db)
        return order
    }

    /// Photos an order may hold, good and refused together, so refused uploads (each stored with its
    /// thumbnails to show what is wrong) cannot fill the disk.
    package static let maximumStored = 40

    /// Files counted against the upload rate limit before a body was read: as many as the body may
    /// carry. Those it did not carry are given back once it has been read (`settle`).
    package struct Reservation: Sendable {
        package let files: Int
        package let records: [UUID]
    }

    /// What must hold before an upload's body is even read: the order is a draft, the set has room,
    /// and the owner is within the upload rate limit for every file the body may carry (one for a
    /// raw body; for a form, up to 20 and no more than the order can still hold), counted now.
    package func admitUpload(to order: Order, form: Bool) async throws -> Reservation {
        guard order.status == .draft else { throw UploadError.orderLocked }
        let stored = try await requireRoom(in: order)
        let files = form ? max(1, min(IncomingFile.maxPerRequest, Self.maximumStored - stored)) : 1
        let records = try await RateLimiter(db: db).hit(RateLimiter.uploads, subject: owner.uuidString, count: files, at: now)
        return Reservation(files: files, records: records)
    }

    /// Gives back the files a reservation counted that the body did not carry.
    package func settle(_ reservation: Reservation, received: Int) async throws {
        try await RateLimiter(db: db).release(Array(reservation.records.prefix(max(0, reservation.files - received))))
    }

    /// Where an upload's files are streamed before they are checked, and the most one file may hold.
    package var incoming: (directory: String, maxBytes: Int) { (UploadSpool.directory(dataDirectory: uploads.dataDirectory), PhotoLimits().maxBytes) }

    /// Checks and adds each received file to the order, and removes the files. A single file throws
    /// its refusal; several report each file's outcome.
    package func add(_ files: [IncomingFile], to order: Order) async throws -> [(filename: String, result: Result<UploadAsset, UploadError>)] {
        defer { for file in files { PosixFile.remove(file.path) } }
        let intake = try await intake()
        var outcomes: [(filename: String, result: Result<UploadAsset, UploadError>)] = []
        for file in files {
            do {
                try await requireRoom(in: order)
                let upload = try await intake.add(file, to: order, by: actor, at: now)
                // Two uploads racing past the check above could make 21 (or 41): the later one goes again.
                if try await acceptedCount(order) > Thresholds.maximumSetSize, upload.status == .accepted {
                    try await intake.remove(upload, by: actor, at: now)
                    throw UploadError.setFull(limit: Thresholds.maximumSetSize)
                }
                if try await storedCount(order) > Self.maximumStored {
                    try await intake.remove(upload, by: actor, at: now)
                    throw UploadError.tooManyStored(limit: Self.maximumStored)
                }
                outcomes.append((file.filename, .success(upload)))
            } catch let error as UploadError {
                if files.count == 1 { throw error }
                outcomes.append((file.filename, .failure(error)))
            }
        }
        try await noteIfReady(order)
        return outcomes
    }

    /// The first time an order's photos make a ready set, an audit event says so: the upload
    /// completion rate (drafts that reach a ready set) is counted from it.
    package func noteIfReady(_ order: Order) async throws {
        guard try await acceptedCount(order) >= Thresholds.minimumSetSize, try await set(of: order).ready else { return }
        let orderID = try order.requireID()
        guard try await AuditEvent.query(on: db).filter(\.$subjectType == Order.auditSubject).filter(\.$subjectID == orderID)
            .filter(\.$action == Self.readyAction).count() == 0 else { return }
        try await Audit.record(Self.readyAction, subjectType: Order.auditSubject, subjectID: orderID, by: actor, at: now, on: db)
    }

    package static let readyAction = "order.photos_ready"

    package func remove(_ upload: UploadAsset, of order: Order) async throws {
        guard order.status == .draft else { throw UploadError.orderLocked }
        try await intake().remove(upload, by: actor, at: now)
    }

    /// "Remove the photos we can't use": every photo the checks refused goes at once (its files and
    /// face data with it), as if removed one by one. Returns how many went.
    @discardableResult
    package func removeUnusable(of order: Order) async throws -> Int {
        guard order.status == .draft else { throw UploadError.orderLocked }
        let unusable = try await set(of: order).photos.filter { !$0.usable }
        let intake = try await intake()
        for photo in unusable { try await intake.remove(photo.upload, by: actor, at: now) }
        try await noteIfReady(order)
        return unusable.count
    }

    /// The thumbnail's JPEG bytes (256 or 1024 px on the long side).
    package func thumbnail(of upload: UploadAsset, in order: Order, side: Int) async throws -> [UInt8] {
        guard PhotoKeys.thumbnailSides.contains(side) else { throw Failure.notFound("There is no thumbnail of that size.") }
        return try await uploads.store.read(try PhotoKeys.thumbnail(order: order.requireID(), upload: upload.requireID(), side: side))
    }

    package func set(of order: Order) async throws -> PhotoSet {
        try await PhotoSet.load(order: order.requireID(), on: db)
    }

    private func intake() async throws -> PhotoIntake {
        PhotoIntake(db: db, store: uploads.store, inspector: try await uploads.imaging.engine().inspector, pool: uploads.fileThreads,
                    retention: uploads.retention)
    }

    private func acceptedCount(_ order: Order) async throws -> Int {
        try await UploadAsset.query(on: db).filter(\.$order.$id == order.requireID()).filter(\.$status == .accepted).count()
    }

    private func storedCount(_ order: Order) async throws -> Int {
        try await UploadAsset.query(on: db).filter(\.$order.$id == order.requireID()).filter(\.$status != .deleted).count()
    }

    /// Throws when the set is full or the order holds the most photos it may; returns how many it holds.
    @discardableResult
    private func requireRoom(in order: Order) async throws -> Int {
        if try await acceptedCount(order) >= Thresholds.maximumSetSize { throw UploadError.setFull(limit: Thresholds.maximumSetSize) }
        let stored = try await storedCount(order)
        if stored >= Self.maximumStored { throw UploadError.tooManyStored(limit: Self.maximumStored) }
        return stored
    }
}
