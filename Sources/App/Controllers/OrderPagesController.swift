import Fluent
import Imaging
import Vapor

/// The guided upload flow's pages: start an order, upload and check photos, remove them, continue.
struct OrderPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("orders", use: start)
        let order = routes.grouped("orders", ":orderID")
        order.get(use: show)
        order.get("photos", use: photos)
        order.get("photos", "set", use: setFragment)
        // Photos stream to disk as they arrive; the receiver enforces the size limit itself.
        order.on(.POST, "photos", body: .stream, use: upload)
        order.post("photos", ":photoID", "delete", use: remove)
        order.get("photos", ":photoID", "thumbnail", use: thumbnail)
        order.post("continue", use: proceed)
    }

    /// "New headshots": opens the user's draft (or a new one) at the upload step.
    @Sendable func start(req: Request) async throws -> Response {
        let order = try await OrderPhotos(req: req).openDraft()
        return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())/photos", redirectType: .normal)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        return try OrderPage.render(req, order: order, set: try await flow.set(of: order), packages: try await Catalog.packages(on: req.db),
                                    progress: try await OrderProgress.load(order, on: req.db))
    }

    @Sendable func photos(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        guard order.status == .draft else { return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())") }
        return try UploadPage.render(req, order: order, set: try await flow.set(of: order))
    }

    @Sendable func setFragment(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        return try UploadPage.fragment(req, order: order, set: try await flow.set(of: order))
    }

    /// One photo from the page's script (answered with JSON), or the no-script form's photos
    /// (answered with the page, listing any file that could not be used).
    @Sendable func upload(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        if AppErrorMiddleware.wantsJSON(req) {
            return try await OrdersAPIController.uploadResult(try await flow.add(to: order), order: order, flow: flow,
                                                              base: "/orders/\(try order.requireID().uuidString.lowercased())/photos", req: req)
        }
        var refused: [(String, UploadError)] = []
        do {
            for outcome in try await flow.add(to: order) {
                if case .failure(let error) = outcome.result { refused.append((outcome.filename, error)) }
            }
        } catch let error as UploadError {
            refused.append(("Your upload", error))
        }
        if refused.isEmpty { return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())/photos", redirectType: .normal) }
        return try UploadPage.render(req, order: order, set: try await flow.set(of: order), refused: refused, status: .unprocessableEntity)
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        try await flow.remove(try await flow.photo(of: order), of: order)
        if AppErrorMiddleware.wantsJSON(req) { return Response(status: .noContent) }
        return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())/photos", redirectType: .normal)
    }

    @Sendable func thumbnail(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        return try await flow.thumbnail(of: try await flow.photo(of: order), in: order, side: (try? req.query.get(Int.self, at: "size")) ?? 256)
    }

    /// The server's own gate: Continue works only when the set is ready, whatever the page showed.
    @Sendable func proceed(req: Request) async throws -> Response {
        let flow = OrderPhotos(req: req)
        let order = try await flow.order()
        let set = try await flow.set(of: order)
        guard set.ready else { throw UploadError.setNotReady(summary: set.summary) }
        return req.redirect(to: "/orders/\(try order.requireID().uuidString.lowercased())", redirectType: .normal)
    }
}
