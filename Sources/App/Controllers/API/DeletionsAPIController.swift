import HeadshotCore
import SiteRoutes
import Vapor

/// Self-serve deletion over the API. Asking needs the password (and, for the whole account, a login
/// token made in the last 15 minutes); looking a request or its receipt up works for the owner, and
/// signed out for whoever holds the receipt secret (`X-Receipt-Secret`), since an account deletion
/// ends every login.
struct DeletionsAPIController: RouteCollection {
    static let secretHeader = "X-Receipt-Secret"
    /// How recent a login token must be to delete the whole account.
    static let freshLogin: TimeInterval = 15 * 60

    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(User.guardMiddleware()).post(APIURL.deletionRequests, use: create)
        routes.get(APIURL.deletionRequest(.key), use: show)
        routes.get(APIURL.deletionReceipt(.key), use: receipt)
    }

    private func deletions(_ req: Request) -> Deletions { Deletions(db: req.db, services: services, actor: req.actor) }

    @Sendable func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateDeletionRequestBody.self)
        guard let scope = DeletionRequest.Scope(rawValue: body.scope) else {
            throw Failure(.invalid, "scope must be one of: \(DeletionRequest.Scope.allCases.map(\.rawValue).joined(separator: ", ")).", code: "invalid_scope")
        }
        // A browser session re-enters the password; an API client also needs a fresh login for the account.
        let fresh = req.currentToken.map { $0.kind == .login && services.clock.now().timeIntervalSince($0.createdAt) <= Self.freshLogin } ?? true
        let created = try await deletions(req).request(by: try req.requireUser(), scope: scope, orderID: body.orderID,
                                                       password: body.password, freshLogin: fresh)
        return try await DeletionRequestDTO(created.request, onHold: false, secret: created.secret).encodeResponse(status: .accepted, for: req)
    }

    @Sendable func show(req: Request) async throws -> DeletionRequestDTO {
        let id = req.parameters.get("deletionID", as: UUID.self)
        let request: DeletionRequest
        if let secret = req.headers.first(name: Self.secretHeader) {
            request = try await deletions(req).find(id, secret: secret)
        } else if let user = req.currentUser {
            request = try await deletions(req).find(id, for: try user.requireID())
        } else {
            throw Failure(.unauthorized, "Sign in, or send the receipt code in the \(Self.secretHeader) header.")
        }
        return try DeletionRequestDTO(request, onHold: try await Deletions.isHeld(request, on: req.db) && request.status != .completed)
    }

    @Sendable func receipt(req: Request) async throws -> DeletionReceipt {
        try await deletions(req).receipt(req.parameters.get("receiptID", as: UUID.self), secret: req.headers.first(name: Self.secretHeader))
    }
}
