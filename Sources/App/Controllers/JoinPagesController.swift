import Fluent
import HeadshotCore
import SiteRoutes
import Vapor

/// The join page of an invitation link: open signed out (to say what it is and how to get in);
/// accepting needs a signed-in person.
struct JoinPagesController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.join(.key), use: show)
        routes.post(SiteURL.join(.key), use: accept)
    }

    private func invitations(_ req: Request) -> TeamInvitations { TeamInvitations(db: req.db, services: services, actor: req.actor) }

    @Sendable func show(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        do {
            let (invitation, team) = try await invitations(req).preview(token: token)
            return TeamPages.join(req.viewer, token: token, team: team, invitation: invitation, refusal: nil)
        } catch let refusal as TeamInvitations.Refusal {
            return TeamPages.join(req.viewer, token: token, team: nil, invitation: nil, refusal: refusal.reason, status: refusal.kind == .notFound ? .notFound : .gone)
        }
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let user = req.currentUser else {
            return req.redirect(to: SiteURL.logIn.path(["next": SiteURL.join(.value(token)).path]), redirectType: .normal)
        }
        do {
            let access = try await invitations(req).accept(token: token, user: user)
            return req.redirect(to: SiteURL.team(.value(access.teamID), nil).path(["notice": "joined"]), redirectType: .normal)
        } catch let refusal as TeamInvitations.Refusal {
            let team = try? await invitations(req).preview(token: token).1
            let status: HTTPResponseStatus = switch refusal.kind {
            case .notFound: .notFound
            case .forbidden: .forbidden
            default: .gone
            }
            return TeamPages.join(req.viewer, token: token, team: team, invitation: nil, refusal: refusal.reason, status: status)
        }
    }
}
