import FluentKit
import Foundation

/// API tokens scoped to one team's manager actions (members, invitations, reminders, the team
/// gallery): for a company's HR system or a script, without the powers of a manager's personal
/// token. A team token acts as the manager who created it, only while they manage the team; it is
/// revoked when they leave it, are removed or stop being a manager. Created only from a signed-in
/// browser, so no token can mint another.
package struct TeamTokens {
    package let db: any Database
    package let context: DomainContext
    package let payments: any PaymentGateway
    package let actor: AuditActor

    package init(db: any Database, context: DomainContext, payments: any PaymentGateway, actor: AuditActor) {
        self.db = db
        self.context = context
        self.payments = payments
        self.actor = actor
    }
    package var now: Date { context.clock.now() }
    private var teams: Teams { Teams(db: db, context: context, payments: payments, actor: actor) }

    package func create(_ teamID: UUID?, _ request: CreateTokenRequest, by user: UUID,
                authenticatedBy authentication: AccountSettings.Authentication) async throws -> (token: APIToken, plaintext: String) {
        let access = try await teams.managed(teamID, by: user)
        guard authentication == .session else {
            throw Failure(.forbidden, "Team tokens can only be created from a signed-in browser (the team's page), not with another token.", code: "session_required")
        }
        let (name, days) = try request.validated()
        let now = self.now, actor = self.actor
        return try await db.transaction { tx in
            let (token, plaintext) = try await APITokens.issue(for: user, kind: .team, name: name, expiresAt: now.addingTimeInterval(TimeInterval(days) * 86_400),
                                                               at: now, on: tx, team: access.teamID)
            try await Audit.record("team.token_created", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                                   detail: "\(name) (\(token.tokenPrefix)…)", at: now, on: tx)
            return (token, plaintext)
        }
    }

    /// The team's tokens that still work, newest first (managers).
    package func list(_ teamID: UUID?, by user: UUID) async throws -> [APIToken] {
        let access = try await teams.managed(teamID, by: user)
        let now = self.now
        return try await APIToken.query(on: db).filter(\.$teamID == access.teamID).filter(\.$kind == .team).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
            .filter { $0.expiresAt.map { now < $0 } ?? true }
    }

    /// Any manager of the team may revoke any of its tokens (a colleague's too, when they have left).
    package func revoke(_ teamID: UUID?, token tokenID: UUID?, by user: UUID) async throws {
        let access = try await teams.managed(teamID, by: user)
        guard let tokenID, let token = try await APIToken.query(on: db).filter(\.$id == tokenID).filter(\.$teamID == access.teamID)
            .filter(\.$kind == .team).filter(\.$revokedAt == nil).first()
        else { throw Failure.notFound("There is no such token.") }
        token.revokedAt = now
        try await token.save(on: db)
        try await Audit.record("team.token_revoked", subjectType: Team.auditSubject, subjectID: access.teamID, by: actor,
                               detail: "\(token.name) (\(token.tokenPrefix)…)", at: now, on: db)
    }

    /// Revokes the team tokens `user` created for the team (they no longer manage it).
    package static func revokeAll(of user: UUID, team teamID: UUID, at now: Date, on db: any Database) async throws {
        try await APIToken.query(on: db).filter(\.$user.$id == user).filter(\.$teamID == teamID).filter(\.$kind == .team)
            .filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }
}
