import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// Self-serve deletion in the browser: a confirmation page with the password (`/deletions?scope=…`),
/// the request's live status page with its receipt once done (`/deletions/{id}`), the receipt as
/// JSON, and opening a receipt signed out with its code (`/receipts`).
///
/// The status page answers the owner's session, or the receipt code this browser got when it asked
/// (an HttpOnly cookie): an account deletion ends every session, and the person still sees it finish.
struct DeletionPagesController: RouteCollection {
    static let cookieName = "hs_deletion"
    static let cookieLifetime: TimeInterval = 30 * 24 * 3600

    let services: AppServices
    let open = OrderStatusController.OpenStreams()

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.deletions, use: confirm)
        routes.post(SiteURL.deletions, use: create)
        routes.get(SiteURL.deletion(.key, nil), use: show)
        routes.get(SiteURL.deletion(.key, .events), use: events)
        routes.get(SiteURL.deletion(.key, .receipt), use: receiptJSON)
        routes.get(SiteURL.receipts, use: lookupForm)
        routes.post(SiteURL.receipts, use: lookup)
    }

    struct LookupForm: Content {
        var receiptID: String
        var code: String
    }

    private func deletions(_ req: Request) -> Deletions { Deletions(db: req.db, services: services, actor: req.actor) }

    /// What the confirmation page needs: the scope and, for an order, the order (the user's own).
    private func target(_ req: Request, scope raw: String?, orderID: UUID?) async throws -> DeletionPages.Target {
        let user = try req.requireUser()
        guard let raw, let scope = DeletionRequest.Scope(rawValue: raw) else { throw Failure(.notFound, "There is no such deletion.") }
        guard scope != .account else { return DeletionPages.Target(scope: scope, order: nil) }
        guard let orderID, let order = try await Order.find(orderID, on: req.db), order.$user.id == user.id else {
            throw Failure(.notFound, "There is no such order in your account.")
        }
        return DeletionPages.Target(scope: scope, order: order)
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        guard req.currentUser != nil else { return req.redirect(to: SiteURL.logIn.path(["next": req.url.string])) }
        let target = try await target(req, scope: req.query[String.self, at: "scope"], orderID: req.query[UUID.self, at: "order_id"])
        return DeletionPages.confirm(req.viewer, target)
    }

    @Sendable func create(req: Request) async throws -> Response {
        guard let user = req.currentUser else { return req.redirect(to: SiteURL.logIn.path) }
        let form = try req.content.decode(CreateDeletionRequestBody.self)  // the page form has the API body's fields
        let target = try await target(req, scope: form.scope, orderID: form.orderID)
        let created: Deletions.Created
        do {
            created = try await deletions(req).request(by: user, scope: target.scope, orderID: target.order?.id, password: form.password)
        } catch let error as any DomainError {
            return DeletionPages.confirm(req.viewer, target, error: error.reason, status: AppErrorMiddleware.status(for: error.kind))
        }
        let id = try created.request.requireID()
        let response = req.redirect(to: SiteURL.deletion(.value(id), nil).path, redirectType: .normal)
        response.cookies[Self.cookieName] = HTTPCookies.Value(
            string: "\(id.uuidString.lowercased()).\(created.secret)", expires: services.clock.now().addingTimeInterval(Self.cookieLifetime),
            path: "/", isSecure: services.config.isHTTPS, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// The request, to its owner or to the browser holding its receipt code; the code, when this browser has it.
    private func request(_ req: Request) async throws -> (DeletionRequest, secret: String?) {
        let id = req.parameters.get("deletionID", as: UUID.self)
        let secret = Self.secret(in: req, for: id)
        if let user = req.currentUser, let request = try? await deletions(req).find(id, for: try user.requireID()) {
            return (request, secret)
        }
        return (try await deletions(req).find(id, secret: secret), secret)
    }

    static func secret(in req: Request, for id: UUID?) -> String? {
        guard let id, let value = req.cookies[cookieName]?.string else { return nil }
        let parts = value.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, parts[0] == id.uuidString.lowercased() else { return nil }
        return String(parts[1])
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (request, secret) = try await request(req)
        let held = request.status != .completed ? try await Deletions.isHeld(request, on: req.db) : false
        return DeletionPages.status(req.viewer, request, held: held, secret: secret,
                                    receipt: try request.receipt.map(DeletionReceipt.parse))
    }

    @Sendable func events(req: Request) async throws -> Response {
        let (request, _) = try await request(req)
        let id = try request.requireID()
        guard open.enter(id, limit: OrderStatusController.perUser) else {
            throw Failure(.tooManyRequests(retryAfter: 30), "This deletion is open in too many tabs; close some and reload.", code: "too_many_streams")
        }
        let (database, open) = (services.database, self.open)
        return LiveEvents.response(event: "status", poll: OrderStatusController.poll, lifetime: OrderStatusController.lifetime, logger: req.logger,
                                   onEnd: { open.leave(id) }) { () async throws -> (state: DeletionPages.Live, final: Bool)? in
            let db = try database()
            guard let current = try await DeletionRequest.find(id, on: db) else { return nil }
            let held = current.status != .completed ? try await Deletions.isHeld(current, on: db) : false
            return (DeletionPages.Live(current, held: held), current.status == .completed)
        }
    }

    @Sendable func receiptJSON(req: Request) async throws -> Response {
        let (request, _) = try await request(req)
        guard let text = request.receipt else {
            throw Failure(.conflict, "The deletion has not finished yet; the receipt is written when it does.", code: "not_finished")
        }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"deletion-receipt-\(request.receiptID?.uuidString.lowercased() ?? "").json\"")
        return response
    }

    @Sendable func lookupForm(req: Request) async throws -> Response {
        DeletionPages.lookup(req.viewer)
    }

    @Sendable func lookup(req: Request) async throws -> Response {
        let form = try req.content.decode(LookupForm.self)
        do {
            let receipt = try await deletions(req).receipt(UUID(uuidString: form.receiptID.trimmingCharacters(in: .whitespaces)),
                                                           secret: form.code.trimmingCharacters(in: .whitespaces))
            return DeletionPages.lookup(req.viewer, receipt: receipt)
        } catch let error as any DomainError {
            return DeletionPages.lookup(req.viewer, error: error.reason, status: AppErrorMiddleware.status(for: error.kind))
        }
    }
}
