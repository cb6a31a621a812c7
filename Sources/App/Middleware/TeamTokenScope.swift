import HeadshotCore
import Vapor

/// Keeps a team token to what it is for: the routes its team's managers use (marked with
/// `allowTeamTokens()`), of its own team. Anything else answers 403 `token_scope`.
struct TeamTokenScope: AsyncMiddleware {
    static let userInfoKey = "team_token_allowed"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = req.currentToken, token.kind == .team {
            guard req.route?.userInfo[Self.userInfoKey] as? Bool == true, let team = token.teamID,
                  req.parameters.get("teamID", as: UUID.self) == team
            else {
                throw Failure(.forbidden, "This is a team token: it can only be used for its team's manager actions "
                              + "(the team, its members, invitations, reminders and team gallery).", code: "token_scope")
            }
        }
        return try await next.respond(to: req)
    }
}

extension Route {
    /// Lets team tokens call this route (for their own team).
    @discardableResult
    func allowTeamTokens() -> Route {
        userInfo[TeamTokenScope.userInfoKey] = true
        return self
    }
}
