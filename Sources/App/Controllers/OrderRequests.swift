import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Orders and their photos at the HTTP edge, shared by the pages and the API: ids from the
/// route, upload bodies streamed to disk, thumbnails and upload results turned into responses. The
/// domain work is `OrderPhotos`'s.
struct OrderRequests {
    /// Where the photos' thumbnails are linked: the API's route, or the upload page's.
    enum ThumbnailRoute {
        case api, pages

        func url(order: UUID, photo: UUID) -> String {
            switch self {
            case .api: SiteURL.api(.order(.value(order), .thumbnail(.value(photo)))).path(["size": "256"])
            case .pages: SiteURL.order(.value(order), .thumbnail(.value(photo))).path(["size": "256"])
            }
        }

        func url(order: UUID, headshot: UUID) -> String {
            switch self {
            case .api: SiteURL.api(.order(.value(order), .headshotThumbnail(.value(headshot)))).path
            case .pages: SiteURL.order(.value(order), .headshotThumbnail(.value(headshot))).path
            }
        }
    }

    let req: Request
    let services: AppServices
    let flow: OrderPhotos

    /// The flow for the request's signed-in user (401 when signed out).
    init(_ req: Request, services: AppServices) throws {
        self.req = req
        self.services = services
        flow = OrderPhotos(db: req.db, context: services.domain, uploads: services.uploads, owner: try req.requireUser().requireID(), actor: req.actor)
    }

    /// The caller's order named by the route's `orderID` (404 for anyone else's).
    func order() async throws -> Order {
        try await flow.order(req.parameters.get("orderID", as: UUID.self))
    }

    /// A photo of the order named by the route's `photoID`.
    func photo(of order: Order) async throws -> UploadAsset {
        try await flow.photo(req.parameters.get("photoID", as: UUID.self), of: order)
    }

    func openDraft() async throws -> Order { try await flow.openDraft() }

    func set(of order: Order) async throws -> PhotoSet { try await flow.set(of: order) }

    func remove(_ upload: UploadAsset, of order: Order) async throws { try await flow.remove(upload, of: order) }

    func removeUnusable(of order: Order) async throws { try await flow.removeUnusable(of: order) }

    /// Admits the upload, streams the request's file(s) to disk and adds each to the order. A single
    /// raw upload throws its refusal; a form with several files reports each file's outcome. Before
    /// a byte of the body is read, the owner's share of the spool is reserved (a request slot and the
    /// declared length: `UploadAdmission`) and every file the body may carry is counted against the
    /// rate limit; what the body did not use is given back afterwards.
    func upload(to order: Order) async throws -> [(filename: String, result: Result<UploadAsset, UploadError>)] {
        let admission = services.uploadAdmission
        let ticket = try admission.enter(user: flow.owner, expected: req.headers.first(name: .contentLength).flatMap { Int($0) })
        defer { admission.leave(ticket) }
        let form = req.headers.contentType?.type == "multipart"
        let reservation = try await flow.admitUpload(to: order, form: form)
        let incoming = flow.incoming
        let files: [IncomingFile]
        do {
            files = try await UploadReceiver(directory: incoming.directory, maxBytes: incoming.maxBytes, pool: services.fileThreads,
                                             maxFiles: reservation.files, admission: (admission, ticket)).receive(req)
        } catch {
            try? await flow.settle(reservation, received: 0)
            throw error
        }
        try await flow.settle(reservation, received: files.count)
        return try await flow.add(files, to: order)
    }

    /// The thumbnail named by the route, at `?size=` (256 by default), never cached anywhere shared.
    func thumbnail(of order: Order) async throws -> Response {
        let bytes = try await flow.thumbnail(of: try await photo(of: order), in: order, side: try req.queryInteger("size", in: 1...65_536) ?? 256)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = .jpeg
        // Personal photos: never kept by shared caches or the browser's disk cache.
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// A delivered headshot's thumbnail (named by the route's `assetID`), to the order's owner, while
    /// it is being made and afterwards for as long as the headshots may be served.
    func headshotThumbnail(of order: Order) async throws -> Response {
        if let refusal = try await Delivery.previewRefusal(order: order, on: req.db) { throw refusal }
        guard let asset = try await DeliveredAssets.ready(req.parameters.get("assetID", as: UUID.self), of: order.requireID(), on: req.db)
        else { throw Failure.notFound("We couldn't find that headshot.") }
        let response = Response(status: .ok, body: .init(data: Data(try await Delivery.crop(asset, to: .thumbnail, services: services))))
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// 201 when at least one photo was added, else 422; refused files are listed with their codes.
    func uploadResult(
        _ outcomes: [(filename: String, result: Result<UploadAsset, UploadError>)], order: Order, thumbnails: ThumbnailRoute
    ) async throws -> Response {
        let set = try await flow.set(of: order)
        let added = outcomes.compactMap { try? $0.result.get().id }
        let refused = outcomes.compactMap { outcome -> RefusedFileDTO? in
            guard case .failure(let error) = outcome.result else { return nil }
            return RefusedFileDTO(filename: outcome.filename, code: error.code, message: error.reason)
        }
        let orderID = try order.requireID()
        let result = UploadResultDTO(photos: set.photos.filter { added.contains($0.id) }
                                         .map { PhotoDTO($0, thumbnail: thumbnails.url(order: orderID, photo: $0.id)) },
                                     refused: refused, readiness: ReadinessDTO(set))
        return try await result.encodeResponse(status: added.isEmpty ? .unprocessableEntity : .created, for: req)
    }
}
