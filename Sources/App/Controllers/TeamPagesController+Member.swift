import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// What a member does for themselves on the team page: leave, start and submit their own order, choose
/// their team headshot.
extension TeamPagesController {
    @Sendable func leave(req: Request) async throws -> Response {
        try await teams(req).leave(teamID(req), user: try req.requireUser().requireID())
        return req.redirect(to: SiteURL.teams.path, redirectType: .normal)
    }

    /// "Make my headshots": the member's team order, on its upload page.
    @Sendable func start(req: Request) async throws -> Response {
        let order = try await TeamOrders(db: req.db, services: services, actor: req.actor).openDraft(teamID(req), user: try req.requireUser().requireID())
        return req.redirect(to: SiteURL.order(.value(try order.requireID()), .photos).path, redirectType: .normal)
    }

    @Sendable func setTeamHeadshot(req: Request) async throws -> Response {
        struct Form: Content { var headshotID: String? }
        let id = (try? req.content.decode(Form.self))?.headshotID.flatMap(UUID.init(uuidString:))
        _ = try await TeamOrders(db: req.db, services: services, actor: req.actor).setTeamHeadshot(teamID(req), headshot: id, user: try req.requireUser().requireID())
        return req.redirect(to: SiteURL.team(.value(teamID(req) ?? UUID()), nil).path(["notice": "shared"]), redirectType: .normal)
    }

    /// The member's submit form (the checkout page's twin for a team order) posts here.
    @Sendable func submit(req: Request) async throws -> Response {
        let order = try await OrderRequests(req, services: services).order()
        let form = try req.content.decode(CheckoutPagesController.Form.self)
        let choice = TeamOrders.Submission(presets: form.presets ?? [], consent: form.consent == "yes", acceptFewer: form.acceptFewer == "yes")
        let orders = TeamOrders(db: req.db, services: services, actor: req.actor)
        let errors: [String: String]
        do {
            let submitted = try await orders.submit(order, choice: choice, user: try req.requireUser())
            return req.redirect(to: SiteURL.order(.value(try submitted.requireID()), nil).path, redirectType: .normal)
        } catch Checkout.Problem.invalid(let fields) {
            errors = fields
        } catch Checkout.Problem.short(let message) {
            errors = ["count": message]
        } catch let problem as TeamSeats.Problem {
            errors = ["seats": problem.reason]
        }
        return try await Self.submitPage(req, order: order, orders: orders, services: services, chosen: form.presets ?? [], errors: errors,
                                         status: errors["seats"] != nil ? .conflict : .unprocessableEntity)
    }

    static func submitPage(_ req: Request, order: Order, orders: TeamOrders, services: AppServices, chosen: [String],
                           errors: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let choices = try await orders.choices(for: order, user: try req.requireUser().requireID())
        return try TeamPages.submit(req.viewer, order: order, choices: choices, capacity: try await PlanCapacity.of(orderID: order.requireID(), on: req.db),
                                    chosenPresets: chosen, retention: services.config.retention, errors: errors, status: status)
    }
}
