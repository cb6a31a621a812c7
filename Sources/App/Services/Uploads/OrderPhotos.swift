import Fluent
import Foundation
import Imaging
import Vapor

/// The photo flow shared by the pages and the API: owner-checked lookups, adding and removing
/// photos, and the set's readiness. Anything not owned by the caller is "not found", never
/// "forbidden", so ids of other people's orders reveal nothing.
struct OrderPhotos {
    let req: Request

    /// The caller's order named by the `orderID` route parameter (404 for anyone else's).
    func order() async throws -> Order {
        let user = try req.requireUser()
        guard let id = req.parameters.get("orderID", as: UUID.self),
              let order = try await Order.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID())
                  .filter(\.$status != .deleted).with(\.$package).first()
        else { throw Abort(.notFound, reason: "We couldn't find that order.") }
        return order
    }

    /// A photo of the caller's order named by the `photoID` route parameter (404 otherwise).
    func photo(of order: Order) async throws -> UploadAsset {
        guard let id = req.parameters.get("photoID", as: UUID.self),
              let upload = try await UploadAsset.query(on: req.db).filter(\.$id == id).filter(\.$order.$id == order.requireID())
                  .filter(\.$status != .deleted).first()
        else { throw Abort(.notFound, reason: "We couldn't find that photo.") }
        return upload
    }

    /// The newest draft of the caller, or a new one: "New headshots" never leaves a trail of empty drafts.
    func openDraft() async throws -> Order {
        let user = try req.requireUser()
        if let draft = try await Order.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$status == .draft)
            .sort(\.$createdAt, .descending).first() {
            return draft
        }
        let order = Order(userID: try user.requireID())
        try await order.create(on: req.db)
        try await Audit.record("order.created", subjectType: Order.auditSubject, subjectID: order.id, by: req.actor, at: req.now, on: req.db)
        return order
    }

    /// Receives the request's file(s) and adds each to the order. A single raw upload throws its
    /// refusal; a form with several files reports each file's outcome.
    func add(to order: Order) async throws -> [(filename: String, result: Result<UploadAsset, UploadError>)] {
        guard order.status == .draft else { throw UploadError.orderLocked }
        let user = try req.requireUser()
        try await RateLimiter(db: req.db).hit(RateLimiter.uploads, subject: user.requireID().uuidString, at: req.now)
        try await requireRoom(in: order)
        let receiver = UploadReceiver(directory: req.config.dataDirectory + "/tmp", maxBytes: PhotoLimits().maxBytes, pool: req.application.threadPool)
        let files = try await receiver.receive(req)
        defer { for file in files { PosixFile.remove(file.path) } }
        let intake = try intake()
        var outcomes: [(filename: String, result: Result<UploadAsset, UploadError>)] = []
        for file in files {
            do {
                try await requireRoom(in: order)
                let upload = try await intake.add(file, to: order, by: req.actor, at: req.now)
                // Two uploads racing past the check above could make 21: the later one goes again.
                if try await acceptedCount(order) > Thresholds.maximumSetSize, upload.status == .accepted {
                    try await intake.remove(upload, by: req.actor, at: req.now)
                    throw UploadError.setFull(limit: Thresholds.maximumSetSize)
                }
                outcomes.append((file.filename, .success(upload)))
            } catch let error as UploadError {
                if files.count == 1 { throw error }
                outcomes.append((file.filename, .failure(error)))
            }
        }
        return outcomes
    }

    func remove(_ upload: UploadAsset, of order: Order) async throws {
        guard order.status == .draft else { throw UploadError.orderLocked }
        let intake = try intake()
        try await intake.remove(upload, by: req.actor, at: req.now)
    }

    /// The thumbnail's bytes (256 or 1024 px on the long side).
    func thumbnail(of upload: UploadAsset, in order: Order, side: Int) async throws -> Response {
        guard PhotoKeys.thumbnailSides.contains(side) else { throw Abort(.notFound) }
        let key = try PhotoKeys.thumbnail(order: order.requireID(), upload: upload.requireID(), side: side)
        let bytes = try await req.blobStore.read(key)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = .jpeg
        // Personal photos: never kept by shared caches or the browser's disk cache.
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    private func intake() throws -> PhotoIntake {
        PhotoIntake(db: req.db, store: req.blobStore, inspector: try req.application.photoInspector,
                    pool: req.application.threadPool)
    }

    func set(of order: Order) async throws -> PhotoSet {
        try await PhotoSet.load(order: order.requireID(), on: req.db)
    }

    private func acceptedCount(_ order: Order) async throws -> Int {
        try await UploadAsset.query(on: req.db).filter(\.$order.$id == order.requireID()).filter(\.$status == .accepted).count()
    }

    private func requireRoom(in order: Order) async throws {
        if try await acceptedCount(order) >= Thresholds.maximumSetSize { throw UploadError.setFull(limit: Thresholds.maximumSetSize) }
    }
}
