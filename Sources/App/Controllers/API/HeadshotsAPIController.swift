import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The gallery's JSON twin: a completed order's headshots with signed links.
struct HeadshotsAPIController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(APIURL.order(.key, .headshots), use: list)
        routes.put(APIURL.order(.key, .favourite(.key)), use: favourite)
        routes.post(APIURL.order(.key, .bundles), use: bundle)
        routes.post(APIURL.order(.key, .shares(.key)), use: createShare)
        routes.delete(APIURL.order(.key, .share(.key)), use: revokeShare)
    }

    struct ShareBody: Content { let days: Int }

    @Sendable func createShare(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await GalleryController.asset(of: order, req)
        let share = try await Sharing.create(asset: asset, user: try req.requireUser().requireID(), days: try req.content.decode(ShareBody.self).days,
                                             now: services.clock.now(), on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try ShareLinkDTO(share, baseURL: services.config.baseURL, links: services.downloadLinks))
        return response
    }

    @Sendable func revokeShare(req: Request) async throws -> HTTPStatus {
        _ = try await OrderRequests(req, services: services).order()
        guard let id = req.parameters.get("shareID", as: UUID.self) else { throw Failure.noSuchPage }
        try await Sharing.revoke(id, user: try req.requireUser().requireID(), now: services.clock.now(), on: req.db)
        return .noContent
    }

    struct FavouriteBody: Content { let favourite: Bool }

    @Sendable func favourite(req: Request) async throws -> HeadshotDTO {
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await GalleryController.asset(of: order, req)
        asset.favourite = try req.content.decode(FavouriteBody.self).favourite
        try await asset.save(on: req.db)
        return HeadshotDTO(try await Gallery.item(of: asset, user: try req.requireUser().requireID(), links: services.downloadLinks,
                                                  now: services.clock.now(), on: req.db))
    }

    struct BundleBody: Content { let selection: String }

    /// A signed link to a ZIP of the order's headshots (all, or the favourites).
    @Sendable func bundle(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        try await Delivery.require(order, on: req.db)
        guard let selection = BundleSelection(rawValue: try req.content.decode(BundleBody.self).selection) else {
            throw Failure(.invalid, "selection must be all or favourites")
        }
        let links = services.downloadLinks
        let grant = links.grant(.bundle(order: try order.requireID(), selection: selection), user: try req.requireUser().requireID(), now: services.clock.now())
        let response = Response(status: .created)
        try response.content.encode(BundleLinkDTO(url: links.path(for: grant), expiresAt: Date(timeIntervalSince1970: TimeInterval(grant.expires))))
        return response
    }

    /// The listing is served from `GalleryCache` while the order's headshots are unchanged, encoded once.
    @Sendable func list(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let state = try await Delivery.galleryState(order: order, on: req.db)
        if let refusal = state.refusal { throw refusal }
        let (key, built) = try await services.galleries.load(order: order, revision: state.revision, user: try req.requireUser().requireID(),
                                                             links: services.downloadLinks, retention: services.config.retention,
                                                             now: services.clock.now(), on: req.db)
        let response = Response(status: .ok)
        if let encoded = built.encoded {
            response.headers.contentType = .json
            response.body = .init(buffer: encoded)
        } else {
            let gallery = built.gallery
            try response.content.encode(HeadshotListDTO(headshots: gallery.items.map(HeadshotDTO.init), linksExpireAt: gallery.linksExpire,
                                                        deleteAfter: gallery.deleteAfter))
            if let encoded = response.body.buffer { services.galleries.store(encoded: encoded, for: key, signedAt: built.signedAt) }
        }
        return response
    }
}
