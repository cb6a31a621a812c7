import BlobStorage
import Fluent
import HeadshotCore
import Vapor

/// What the console's pages and its API share: finding the object a path names, and answering with a
/// picture support or an admin may see.
enum StaffRequests {
    static func uuid(_ req: Request, _ name: String) throws -> UUID {
        guard let id = req.parameters.get(name, as: UUID.self) else { throw Failure.notFound("There is nothing here.") }
        return id
    }

    static func refund(_ req: Request) async throws -> RefundRequest {
        guard let refund = try await RefundRequest.find(try uuid(req, "refundID"), on: req.db) else { throw Failure.notFound("There is no such refund.") }
        return refund
    }

    /// The customer-attached headshot, as a JPEG that is never cached.
    static func attachment(_ req: Request, services: AppServices) async throws -> Response {
        let asset = try await StaffConsole(req, services: services).attachment(ticket: try uuid(req, "ticketID"), asset: try uuid(req, "assetID"))
        return jpeg(try await services.blobStore.read(BlobKey(path: asset.blobKey)))
    }

    /// Admins only: a selfie or headshot of an order (the look audited).
    static func photo(_ req: Request, services: AppServices, headshot: Bool) async throws -> Response {
        let order = try uuid(req, "orderID")
        let key = try await StaffConsole(req, services: services).photo(order: order, photo: headshot ? nil : try uuid(req, "photoID"),
                                                                         headshot: headshot ? try uuid(req, "assetID") : nil)
        return jpeg(try await services.blobStore.read(key))
    }

    static func jpeg(_ bytes: [UInt8]) -> Response {
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.contentType = .jpeg
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// What re-run the form or body asks for: a style of a completed order, or (no style) a failed order tried again.
    static func rerun(_ req: Request, services: AppServices) async throws -> GenerationJob {
        let orderID = try uuid(req, "orderID")
        let body = (try? req.content.decode(RerunRequest.self)) ?? RerunRequest(style: nil, headshotIDs: nil)
        guard let order = try await Order.find(orderID, on: req.db) else { throw Failure.notFound("There is no such order.") }
        let reruns = Reruns(req, services: services)
        if order.status == .failed { return try await reruns.retry(failed: orderID) }
        let scope = try body.scope()
        return try await reruns.start(order: orderID, owner: nil, scope: scope, granted: true)
    }

    /// Places (with `reason`) or releases (`release`) an order's legal hold.
    static func hold(_ req: Request, services: AppServices) async throws -> Order {
        struct Body: Content { var reason: String?; var release: Bool? }
        guard let order = try await Order.find(try uuid(req, "orderID"), on: req.db) else { throw Failure.notFound("There is no such order.") }
        let body = (try? req.content.decode(Body.self)) ?? Body()
        if let reason = body.reason, let problem = LegalHolds.problem(with: reason) {
            throw AccountError.invalidInput(["reason": problem])
        }
        let holds = LegalHolds(db: req.db, actor: req.actor, now: services.clock.now())
        if body.release == true { try await holds.release(.order(order)) } else { try await holds.place(on: .order(order), reason: body.reason ?? "") }
        return try await Order.find(order.requireID(), on: req.db) ?? order
    }

    static func packageChange(_ req: Request) throws -> StaffConsole.PackageChange {
        struct Body: Content { var name: String?; var priceMinor: Int?; var headshotCount: Int?; var maxPresets: Int?; var rerunCredits: Int? }
        guard let body = try? req.content.decode(Body.self) else {
            throw AccountError.invalidInput(["price_minor": "Send whole numbers for the price, headshots, styles and re-runs."])
        }
        return StaffConsole.PackageChange(name: body.name, priceMinor: body.priceMinor, headshotCount: body.headshotCount,
                                          maxPresets: body.maxPresets, rerunCredits: body.rerunCredits)
    }

    static func role(_ req: Request) throws -> User.Role {
        struct Body: Content { var role: String? }
        guard let raw = (try? req.content.decode(Body.self))?.role, let role = User.Role(rawValue: raw) else {
            throw AccountError.invalidInput(["role": "Choose user, support or admin."])
        }
        return role
    }

    /// Tickets of a status, or (none given) those open or waiting for the customer.
    static func tickets(_ req: Request) async throws -> [SupportTicket] {
        let status = try req.queryChoice("status", as: TicketStatus.self)
        let states: [TicketStatus] = status.map { [$0] } ?? [.open, .pending]
        return try await SupportRequests.tickets(in: states, on: req.db)
    }
}
