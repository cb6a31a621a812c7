import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The gallery page of a completed order.
struct GalleryController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.order(.key, .gallery), use: show)
        routes.post(SiteURL.order(.key, .favourite(.key)), use: favourite)
        routes.post(SiteURL.order(.key, .reruns), use: rerun)
        routes.get(SiteURL.order(.key, .preview(.key)), use: preview)
        routes.post(SiteURL.order(.key, .share(.key)), use: share)
        routes.post(SiteURL.order(.key, .revokeShare(.key, share: .key)), use: revoke)
    }

    /// Creates a share link (form field `days`: 1 or 7) and shows it on the preview page.
    @Sendable func share(req: Request) async throws -> Response {
        struct Form: Content { var days: Int? }
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await Self.asset(of: order, req)
        _ = try await Sharing.create(asset: asset, user: try req.requireUser().requireID(), days: try req.content.decode(Form.self).days ?? 7,
                                     now: services.clock.now(), on: req.db)
        return req.redirect(to: try Self.previewPath(order, asset), redirectType: .normal)
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await Self.asset(of: order, req)
        guard let id = req.parameters.get("shareID", as: UUID.self) else { throw Failure.noSuchPage }
        try await Sharing.revoke(id, user: try req.requireUser().requireID(), now: services.clock.now(), on: req.db)
        if (try? req.content.get(String.self, at: "from")) == "gallery" {
            return req.redirect(to: SiteURL.order(.value(try order.requireID()), .gallery).path + "#live-shares", redirectType: .normal)
        }
        return req.redirect(to: try Self.previewPath(order, asset), redirectType: .normal)
    }

    /// "Re-make this style" or "Re-make the ones I ticked": spends a credit and follows the re-run on the order page.
    @Sendable func rerun(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let scope = try req.content.decode(RerunRequest.self).scope()
        _ = try await Reruns(req, services: services).start(order: try order.requireID(), owner: try req.requireUser().requireID(), scope: scope)
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path(["notice": "rerun"]), redirectType: .normal)
    }

    static func previewPath(_ order: Order, _ asset: GeneratedAsset) throws -> String {
        SiteURL.order(.value(try order.requireID()), .preview(.value(try asset.requireID()))).path
    }

    /// One headshot in a profile card and an email signature.
    @Sendable func preview(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await Self.asset(of: order, req)
        let user = try req.requireUser()
        let item = try await Gallery.item(of: asset, user: try user.requireID(), links: services.downloadLinks, now: services.clock.now(), on: req.db)
        let links = services.downloadLinks
        let shares = try await Sharing.active(asset: try asset.requireID(), now: services.clock.now(), on: req.db)
            .map { try ShareLinkDTO($0, baseURL: services.config.baseURL, links: links) }
        return try PreviewPage.render(req.viewer, order: order, item: item, name: user.displayName, headline: user.jobTitle, shares: shares)
    }

    /// Marks or unmarks a favourite (form field `favourite` = 1 or 0), then back to the gallery.
    @Sendable func favourite(req: Request) async throws -> Response {
        struct Form: Content { var favourite: Int? }
        let order = try await OrderRequests(req, services: services).order()
        let asset = try await Self.asset(of: order, req)
        asset.favourite = (try req.content.decode(Form.self).favourite ?? 1) == 1
        try await asset.save(on: req.db)
        let back = SiteURL.order(.value(try order.requireID()), .gallery).path
        if AppErrorMiddleware.wantsJSON(req) { return Response(status: .noContent) }
        return req.redirect(to: back + "#headshot-\(try asset.requireID().uuidString.lowercased())", redirectType: .normal)
    }

    /// A ready headshot of the caller's order named by the `assetID` parameter (404 otherwise), while
    /// the order may be served (410 once refunded).
    static func asset(of order: Order, _ req: Request) async throws -> GeneratedAsset {
        try await Delivery.require(order, on: req.db)
        guard let asset = try await DeliveredAssets.ready(req.parameters.get("assetID", as: UUID.self), of: order.requireID(), on: req.db)
        else { throw Failure(.notFound, "We couldn't find that headshot.") }
        return asset
    }

    @Sendable func show(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let state = try await Delivery.galleryState(order: order, on: req.db)
        guard state.refusal == nil else {
            return req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path, redirectType: .normal)
        }
        let gallery = try await services.galleries.load(order: order, revision: state.revision, user: try req.requireUser().requireID(),
                                                        links: services.downloadLinks, retention: services.config.retention,
                                                        now: services.clock.now(), on: req.db).built.gallery
        let filter = req.query[String.self, at: "preset"].flatMap { $0 == "favourites" ? $0 : StylePreset(rawValue: $0)?.rawValue }
        let names = Dictionary(uniqueKeysWithValues: gallery.items.map { ($0.assetID, GalleryPage.name($0)) })
        let shares = try await Sharing.active(assets: Array(names.keys), now: services.clock.now(), on: req.db).map { share in
            (asset: share.$asset.id, name: names[share.$asset.id], share: try ShareLinkDTO(share, baseURL: services.config.baseURL, links: services.downloadLinks))
        }
        let reruns = try await Reruns.standing(of: try order.requireID(), on: req.db)
        let selfiesUntil = try await Retention.dates(of: order, policy: services.config.retention, on: req.db).selfies
        return try GalleryPage.render(req.viewer, order: order, gallery: gallery, filter: filter, shares: shares,
                                      reruns: (reruns, selfiesUntil))
    }
}
