import HeadshotCore
import SiteRoutes
import Vapor

/// A signed-in customer's support requests: the list, one request's conversation, and replying.
struct SupportPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.support, use: list)
        routes.get(SiteURL.ticket(.key), use: show)
        routes.post(SiteURL.ticketReplies(.key), use: reply)
    }

    @Sendable func list(req: Request) async throws -> Response {
        SupportPages.list(req.viewer, tickets: try await SupportRequests(req, services: services).list(for: try req.requireUser()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let thread = try await SupportRequests(req, services: services).thread(try SupportAPIController.ticketID(req), owner: try req.requireUser().requireID())
        let notice: String? = switch req.query[String.self, at: "notice"] {
        case "sent": "Thank you: we've received your request and emailed you a copy. Our replies appear here and come by email."
        case "replied": "Your reply was sent."
        default: nil
        }
        return SupportPages.thread(req.viewer, thread, notice: notice)
    }

    @Sendable func reply(req: Request) async throws -> Response {
        struct Form: Content { var message: String? }
        let ticketID = try SupportAPIController.ticketID(req), user = try req.requireUser()
        let support = SupportRequests(req, services: services)
        let message = (try? req.content.decode(Form.self))?.message
        do {
            _ = try await support.reply(to: ticketID, from: user, message: message)
            return req.redirect(to: SiteURL.ticket(.value(ticketID)).path(["notice": "replied"]) + "#conversation", redirectType: .normal)
        } catch AccountError.invalidInput(let errors) {
            let thread = try await support.thread(ticketID, owner: try user.requireID())
            return SupportPages.thread(req.viewer, thread, error: errors["message"], draft: message ?? "", status: .unprocessableEntity)
        }
    }
}
