import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// JSON twins of the upload flow.
struct OrdersAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(User.guardMiddleware())
        signedIn.get(APIURL.orders, use: list)
        signedIn.post(APIURL.orders, use: create)
        signedIn.get(APIURL.order(.key, nil), use: show)
        signedIn.delete(APIURL.order(.key, nil), use: discard)
        signedIn.get(APIURL.order(.key, .photos), use: photos)
        signedIn.on(.POST, APIURL.order(.key, .photos), body: .stream, use: upload)
        signedIn.get(APIURL.order(.key, .readiness), use: readiness)
        signedIn.get(APIURL.order(.key, .plan), use: plan)
        signedIn.delete(APIURL.order(.key, .photo(.key)), use: remove)
        signedIn.post(APIURL.order(.key, .removeUnusable), use: removeUnusable)
        signedIn.get(APIURL.order(.key, .thumbnail(.key)), use: thumbnail)
        signedIn.get(APIURL.order(.key, .headshotThumbnail(.key)), use: headshotThumbnail)
        signedIn.post(APIURL.order(.key, .checkout), use: checkout)
        signedIn.get(APIURL.order(.key, .status), use: status)
    }

    /// State, headshots done of total, queue position and ETA band (what the order page shows live).
    @Sendable func status(req: Request) async throws -> OrderProgress {
        try await OrderProgress.load(try await OrderRequests(req, services: services).order(), on: req.db)
    }

    /// Starts payment: `{package, presets, consent}` in, the provider's checkout URL out. Any price,
    /// count or package id in the body is ignored: the package's code is looked up on the server.
    @Sendable func checkout(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let choice = try req.content.decode(Checkout.Choice.self)
        let started = try await Checkout(db: req.db, services: services, actor: req.actor).start(order, choice: choice, user: try req.requireUser())
        return try await CheckoutSessionDTO(checkoutID: started.session.id, checkoutURL: started.session.url, amountMinor: started.amountMinor,
                                            currency: started.currency, headshotCount: started.headshotCount)
            .encodeResponse(status: .created, for: req)
    }

    /// What the order's accepted photos can give (the checkout's honest counts): different pictures
    /// per style, and for each package how many headshots and with how many styles.
    @Sendable func plan(req: Request) async throws -> PlanCapacityDTO {
        let order = try await OrderRequests(req, services: services).order()
        return PlanCapacityDTO(try await PlanCapacity.of(orderID: try order.requireID(), on: req.db), packages: try await Catalog.packages(on: req.db))
    }

    @Sendable func list(req: Request) async throws -> [OrderDTO] {
        try await Orders.list(for: try req.requireUser(), thumbnails: .api, on: req.db)
    }

    /// Opens the caller's draft order, or starts one (201 either way, with the order).
    @Sendable func create(req: Request) async throws -> Response {
        try await OrderDTO(try await OrderRequests(req, services: services).openDraft()).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> OrderDTO {
        let order = try await OrderRequests(req, services: services).order()
        let id = try order.requireID()
        let covers = try await Orders.covers(of: [id], owner: order.$user.id, route: .api, on: req.db)
        return try OrderDTO(order, thumbnailURL: covers[id])
    }

    @Sendable func photos(req: Request) async throws -> PhotoSetDTO {
        let flow = try OrderRequests(req, services: services)
        return try await Self.set(of: try await flow.order(), flow)
    }

    /// Discards a draft (409 for an order that has been paid for: those are deleted through a deletion request).
    @Sendable func discard(req: Request) async throws -> HTTPStatus {
        let order = try await OrderRequests(req, services: services).order()
        try await DraftCleanup(db: req.db, store: services.blobStore).discard(order, by: req.actor, reason: "discarded by its owner", at: services.clock.now())
        return .noContent
    }

    /// "Remove the photos we can't use": the refused photos go at once; the set as it is now.
    @Sendable func removeUnusable(req: Request) async throws -> PhotoSetDTO {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        try await flow.removeUnusable(of: order)
        return try await Self.set(of: order, flow)
    }

    private static func set(of order: Order, _ flow: OrderRequests) async throws -> PhotoSetDTO {
        let set = try await flow.set(of: order)
        let orderID = try order.requireID()
        return PhotoSetDTO(photos: set.photos.map { PhotoDTO($0, thumbnail: OrderRequests.ThumbnailRoute.api.url(order: orderID, photo: $0.id)) },
                           readiness: ReadinessDTO(set))
    }

    /// One photo as the raw body (Content-Type image/jpeg, image/heic…, name in X-Filename) or one or
    /// more as multipart/form-data. 201 with the added photos; a refused single photo is a 4xx whose
    /// error code says why (unsupported_format, low_resolution, file_too_large…).
    @Sendable func upload(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        return try await flow.uploadResult(try await flow.upload(to: order), order: order, thumbnails: .api)
    }

    @Sendable func readiness(req: Request) async throws -> ReadinessDTO {
        let flow = try OrderRequests(req, services: services)
        return ReadinessDTO(try await flow.set(of: try await flow.order()))
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        try await flow.remove(try await flow.photo(of: order), of: order)
        return .noContent
    }

    @Sendable func headshotThumbnail(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        return try await flow.headshotThumbnail(of: try await flow.order())
    }

    @Sendable func thumbnail(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        return try await flow.thumbnail(of: order)
    }
}
