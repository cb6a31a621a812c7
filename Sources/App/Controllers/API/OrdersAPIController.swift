import Fluent
import Vapor

/// JSON twins of the upload flow.
struct OrdersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let orders = routes.grouped(User.guardMiddleware()).grouped("orders")
        orders.get(use: list)
        orders.post(use: create)
        let order = orders.grouped(":orderID")
        order.get(use: show)
        order.get("photos", use: photos)
        order.on(.POST, "photos", body: .stream, use: upload)
        order.get("photos", "readiness", use: readiness)
        order.delete("photos", ":photoID", use: remove)
        order.get("photos", ":photoID", "thumbnail", use: thumbnail)
        order.post("checkout", use: checkout)
        order.get("status", use: status)
    }

    /// State, headshots done of total, queue position and ETA band (what the order page shows live).
    @Sendable func status(req: Request) async throws -> OrderProgress {
        try await OrderProgress.load(try await OrderPhotos(req: req).order(), on: req.db)
    }

    /// Starts payment: `{package, presets, consent}` in, the provider's checkout URL out. Any price,
    /// count or package id in the body is ignored: the package's code is looked up on the server.
    @Sendable func checkout(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).order()
        let choice = try req.content.decode(Checkout.Choice.self)
        let session = try await Checkout(req: req).start(order, choice: choice, user: try req.requireUser())
        return try await CheckoutSessionDTO(checkoutID: session.id, checkoutURL: session.url, amountMinor: order.amountMinor ?? 0,
                                            currency: order.currency ?? "", headshotCount: order.headshotCount ?? 0)
            .encodeResponse(status: .created, for: req)
    }

    private static func base(_ order: Order) -> String { "/api/v1/orders/\(order.id!.uuidString.lowercased())/photos" }

    @Sendable func list(req: Request) async throws -> [OrderDTO] {
        try await Orders.list(for: try req.requireUser(), on: req.db)
    }

    /// Opens the caller's draft order, or starts one (201 either way, with the order).
    @Sendable func create(req: Request) async throws -> Response {
        try await OrderDTO(try await OrderPhotos(req: req).openDraft()).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> OrderDTO {
        try OrderDTO(try await OrderPhotos(req: req).order())
    }

    @Sendable func photos(req: Request) async throws -> PhotoSetDTO {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        let set = try await flow.set(of: order)
        return PhotoSetDTO(photos: set.photos.map { PhotoDTO($0, thumbnailBase: Self.base(order)) }, readiness: ReadinessDTO(set))
    }

    /// One photo as the raw body (Content-Type image/jpeg, image/heic…, name in X-Filename) or one or
    /// more as multipart/form-data. 201 with the added photos; a refused single photo is a 4xx whose
    /// error code says why (unsupported_format, low_resolution, file_too_large…).
    @Sendable func upload(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        return try await Self.uploadResult(try await flow.add(to: order), order: order, flow: flow, base: Self.base(order), req: req)
    }

    /// 201 when at least one photo was added, else 422; refused files are listed with their codes.
    static func uploadResult(
        _ outcomes: [(filename: String, result: Result<UploadAsset, UploadError>)], order: Order, flow: OrderPhotos, base: String, req: Request
    ) async throws -> Response {
        let set = try await flow.set(of: order)
        let added = outcomes.compactMap { try? $0.result.get().id }
        let refused = outcomes.compactMap { outcome -> RefusedFileDTO? in
            guard case .failure(let error) = outcome.result else { return nil }
            return RefusedFileDTO(filename: outcome.filename, code: error.code, message: error.reason)
        }
        let result = UploadResultDTO(photos: set.photos.filter { added.contains($0.id) }.map { PhotoDTO($0, thumbnailBase: base) },
                                     refused: refused, readiness: ReadinessDTO(set))
        return try await result.encodeResponse(status: added.isEmpty ? .unprocessableEntity : .created, for: req)
    }

    @Sendable func readiness(req: Request) async throws -> ReadinessDTO {
        let flow = OrderPhotos(req: req)
        return ReadinessDTO(try await flow.set(of: try await flow.order()))
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        try await flow.remove(try await flow.photo(of: order), of: order)
        return .noContent
    }

    @Sendable func thumbnail(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        return try await flow.thumbnail(of: try await flow.photo(of: order), in: order, side: (try? req.query.get(Int.self, at: "size")) ?? 256)
    }
}
