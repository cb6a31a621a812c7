import Fluent
import HeadshotCore
import Imaging
import SiteRoutes
import Vapor

/// The guided upload flow's pages: start an order, upload and check photos, remove them, continue.
struct OrderPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.post(SiteURL.orders, use: start)
        routes.get(SiteURL.order(.key, nil), use: show)
        routes.get(SiteURL.order(.key, .photos), use: photos)
        routes.get(SiteURL.order(.key, .photoSet), use: setFragment)
        // Photos stream to disk as they arrive; the receiver enforces the size limit itself.
        routes.on(.POST, SiteURL.order(.key, .photos), body: .stream, use: upload)
        routes.post(SiteURL.order(.key, .deletePhoto(.key)), use: remove)
        routes.post(SiteURL.order(.key, .removeUnusable), use: removeUnusable)
        routes.get(SiteURL.order(.key, .thumbnail(.key)), use: thumbnail)
        routes.get(SiteURL.order(.key, .headshotThumbnail(.key)), use: headshotThumbnail)
        routes.post(SiteURL.order(.key, .proceed), use: proceed)
        routes.post(SiteURL.order(.key, .discard), use: discard)
        routes.post(SiteURL.order(.key, .refund), use: refund)
    }

    /// "New headshots": opens the user's draft (or a new one) at the upload step.
    @Sendable func start(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).openDraft()
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), .photos).path, redirectType: .normal)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        return try OrderPage.render(req.viewer, order: order, set: try await flow.set(of: order), packages: try await Catalog.packages(on: req.db),
                                    capacity: try await PlanCapacity.of(orderID: order.requireID(), on: req.db),
                                    progress: try await OrderProgress.load(order, on: req.db),
                                    howMade: services.generator?.description, origins: try await DeliveredAssets.origins(of: order.requireID(), on: req.db),
                                    retention: services.config.retention,
                                    dates: try await Retention.dates(of: order, policy: services.config.retention, on: req.db),
                                    held: try await LegalHolds.isHeld(order, on: req.db),
                                    refund: try await RefundRequest.latestForWholeOrder(order.requireID(), on: req.db),
                                    refundDecision: Refunds.refundable.contains(order.status)
                                        ? try await RefundPolicy.decide(order, now: services.clock.now(), on: req.db) : nil,
                                    notice: Self.notices[req.query[String.self, at: "notice"] ?? ""])
    }

    static let notices = [
        "paid": "Payment received — thank you. Your headshots are being made; this page follows the work as it happens.",
        "refunded": "Your order was refunded. The money goes back to the card you paid with; we've emailed you the details.",
        "rerun": "Your re-run has started: the new headshots appear below as they are made, and join the others in your gallery. The ones you have stay as they are.",
        "refund-requested": "Your refund request was sent to our support team. They will decide and tell you by email.",
    ]

    /// "Request a refund": refunded at once within the policy, otherwise sent to support.
    @Sendable func refund(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let order = try await OrderRequests(req, services: services).order()
        let reason = (try? req.content.decode(Form.self).reason)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let refund = try await Refunds(req, services: services).ask(for: order, by: try req.requireUser(),
                                                                    reason: reason.isEmpty ? "asked on the order page" : reason)
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path(["notice": refund.status == .refunded ? "refunded" : "refund-requested"]),
                            redirectType: .normal)
    }

    @Sendable func photos(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        guard order.status == .draft else {
            return try SelfiesPage.render(req.viewer, order: order, set: try await flow.set(of: order),
                                          deleteAfter: try await Retention.dates(of: order, policy: services.config.retention, on: req.db).selfies)
        }
        return try UploadPage.render(req.viewer, order: order, set: try await flow.set(of: order))
    }

    @Sendable func setFragment(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        return try UploadPage.fragment(req.viewer, order: order, set: try await flow.set(of: order))
    }

    /// One photo from the page's script (answered with JSON), or the no-script form's photos
    /// (answered with the page, listing any file that could not be used).
    @Sendable func upload(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        if AppErrorMiddleware.wantsJSON(req) {
            return try await flow.uploadResult(try await flow.upload(to: order), order: order, thumbnails: .pages)
        }
        var refused: [(String, UploadError)] = []
        do {
            for outcome in try await flow.upload(to: order) {
                if case .failure(let error) = outcome.result { refused.append((outcome.filename, error)) }
            }
        } catch let error as UploadError {
            refused.append(("Your upload", error))
        }
        if refused.isEmpty { return req.redirect(to: SiteURL.order(.value(try order.requireID()), .photos).path, redirectType: .normal) }
        return try UploadPage.render(req.viewer, order: order, set: try await flow.set(of: order), refused: refused, status: .unprocessableEntity)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        try await flow.remove(try await flow.photo(of: order), of: order)
        if AppErrorMiddleware.wantsJSON(req) { return Response(status: .noContent) }
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), .photos).path, redirectType: .normal)
    }

    @Sendable func thumbnail(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        return try await flow.thumbnail(of: order)
    }

    /// The server's own gate: Continue works only when the set is ready, whatever the page showed.
    /// "Discard this draft": its photos and face data are deleted; back to the dashboard.
    @Sendable func discard(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        try await DraftCleanup(db: req.db, store: services.blobStore).discard(order, by: req.actor, reason: "discarded by its owner", at: services.clock.now())
        return req.redirect(to: SiteURL.dashboard.path(["notice": "draft-discarded"]), redirectType: .normal)
    }

    /// "Remove the photos we can't use", in one click; back to the photos.
    @Sendable func removeUnusable(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        try await flow.removeUnusable(of: order)
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), .photos).path, redirectType: .normal)
    }

    @Sendable func headshotThumbnail(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        return try await flow.headshotThumbnail(of: try await flow.order())
    }

    @Sendable func proceed(req: Request) async throws -> Response {
        let flow = try OrderRequests(req, services: services)
        let order = try await flow.order()
        let set = try await flow.set(of: order)
        guard set.ready else { throw UploadError.setNotReady(summary: set.summary) }
        if set.rejected > 0 { try await flow.removeUnusable(of: order) }
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), nil).path, redirectType: .normal)
    }
}
