import FluentKit
import Foundation
import Mail
import SiteRoutes

/// Invitations to a team: personal ones by email (single use, 7 days, a seat kept while pending,
/// re-sendable) and open links (optional email domain, usage cap, expiry, revocable). Accepting
/// joins the signed-in person to the team. Tokens are shown once and stored as digests.
package struct TeamInvitations {
    package static let personalLifetime: TimeInterval = 7 * 86_400
    package static let linkLifetimeDays = 1...30
    package static let maximumPerRequest = 50

    /// Why an invitation cannot be used: each answer says what to do.
    package enum Refusal: DomainError {
        case unknown, revoked, expired, used, full
        case wrongEmail(String)
        case wrongDomain(String)

        package var kind: FailureKind {
            switch self {
            case .unknown: .notFound
            case .revoked, .expired, .used, .full: .gone
            case .wrongEmail, .wrongDomain: .forbidden
            }
        }
        package var code: String {
            switch self {
            case .unknown: "invitation_unknown"
            case .revoked: "invitation_revoked"
            case .expired: "invitation_expired"
            case .used: "invitation_used"
            case .full: "invitation_full"
            case .wrongEmail: "invitation_wrong_email"
            case .wrongDomain: "invitation_wrong_domain"
            }
        }
        package var reason: String {
            switch self {
            case .unknown: "We couldn't find that invitation. Check the link, or ask your team's manager for a new one."
            case .revoked: "This invitation was withdrawn by the team. Ask your team's manager for a new one."
            case .expired: "This invitation has expired. Ask your team's manager to send it again."
            case .used: "This invitation has already been used. If that wasn't you, ask your team's manager for a new one."
            case .full: "This invitation link has been used as many times as the team allowed. Ask your team's manager for another."
            case .wrongEmail(let masked): "This invitation is for \(masked). Sign in with that address to accept it."
            case .wrongDomain(let domain): "This link is for addresses at \(domain). Sign in with your \(domain) address to join."
            }
        }
    }

    /// An open link as created: the plaintext URL is shown this once.
    package struct CreatedLink {
        package let invitation: TeamInvitation
        package let url: String
    }

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

    /// The team's invitations that are still open, and those that ended recently, newest first.
    package func list(_ teamID: UUID?, by user: UUID) async throws -> [TeamInvitation] {
        let access = try await teams.managed(teamID, by: user)
        return try await TeamInvitation.query(on: db).filter(\.$team.$id == access.teamID).sort(\.$createdAt, .descending).all()
    }

    /// Invites people by email, each keeping a seat: all of them or none (409 no seats left). An
    /// address already invited and pending is sent its invitation again; a member is skipped.
    package func invite(_ teamID: UUID?, emails raw: [String], by user: UUID) async throws -> [TeamInvitation] {
        let access = try await teams.managed(teamID, by: user)
        guard !raw.isEmpty else { throw Failure(.invalid, "Enter at least one email address.") }
        guard raw.count <= Self.maximumPerRequest else { throw Failure(.invalid, "Invite at most \(Self.maximumPerRequest) people at a time.") }
        if let bad = raw.first(where: { !InputRules.isEmail($0) }) {
            throw Failure(.invalid, "\"\(bad)\" is not an email address. Enter addresses like name@example.com, one per line.")
        }
        let emails = Array(NSOrderedSet(array: raw.map(Accounts.normalise(email:)))) as? [String] ?? []
        let teamID = access.teamID, now = self.now, actor = self.actor
        try await TeamSeats.spendMailBudget(emails.count, team: access.team, recipients: emails, at: now, on: db)

        let memberEmails = Set(try await TeamMember.query(on: db).filter(\.$team.$id == teamID).with(\.$user).all().map(\.user.email))
        let lifetime = Self.personalLifetime, base = context.baseURL, team = access.team
        let inviter = try await User.find(user, on: db)
        let sent = try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx -> [(TeamInvitation, String)] in
            var sent: [(TeamInvitation, String)] = []
            for email in emails where !memberEmails.contains(email) {
                let token = SecureToken.generate(prefix: "hsi_")
                if let pending = try await TeamInvitation.query(on: tx).filter(\.$team.$id == teamID).filter(\.$kind == .email)
                    .filter(\.$email == email).filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil).filter(\.$expiresAt > now).first() {
                    pending.tokenHash = SecureToken.digest(token)
                    pending.expiresAt = now.addingTimeInterval(lifetime)
                    pending.lastSentAt = now
                    try await pending.save(on: tx)
                    sent.append((pending, token))
                    continue
                }
                let invitation = TeamInvitation(teamID: teamID, kind: .email, email: email, tokenHash: SecureToken.digest(token), by: user,
                                                at: now, expiresAt: now.addingTimeInterval(lifetime))
                invitation.lastSentAt = now
                try await invitation.create(on: tx)
                try await TeamSeats.reserve(for: try invitation.requireID(), team: teamID, at: now, on: tx)
                try await Audit.record("team.invitation_sent", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                       detail: "personal, expires \(DateText.short(invitation.expiresAt))", at: now, on: tx)
                sent.append((invitation, token))
            }
            for (invitation, token) in sent {
                try await context.mail.enqueue(Self.mail(to: invitation.email ?? "", team: team, inviter: inviter, token: token,
                                                          expires: invitation.expiresAt, base: base), on: tx)
            }
            return sent
        }
        return sent.map(\.0)
    }

    /// Sends a pending personal invitation again, with a new link valid 7 more days (the old link stops working).
    package func resend(_ teamID: UUID?, invitation invitationID: UUID?, by user: UUID) async throws -> TeamInvitation {
        let access = try await teams.managed(teamID, by: user)
        let invitation = try await invitation(invitationID, of: access.teamID)
        guard invitation.kind == .email, let email = invitation.email else {
            throw Failure(.conflict, "Only personal invitations are sent by email; share the link again instead.", code: "not_personal")
        }
        guard invitation.acceptedAt == nil, invitation.revokedAt == nil else {
            throw Failure(.conflict, "This invitation was already accepted or withdrawn.", code: "invitation_closed")
        }
        try await TeamSeats.spendMailBudget(1, team: access.team, recipients: [email], at: now, on: db)
        let teamID = access.teamID, now = self.now, actor = self.actor, lifetime = Self.personalLifetime, base = context.baseURL, team = access.team
        let inviter = try await User.find(user, on: db)
        return try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx in
            guard let current = try await TeamInvitation.find(invitationID, on: tx), current.acceptedAt == nil, current.revokedAt == nil else {
                throw Failure(.conflict, "This invitation was already accepted or withdrawn.", code: "invitation_closed")
            }
            let wasExpired = current.expiresAt <= now
            if wasExpired {
                // Its seat went back to the team when it lapsed: keep one again.
                try await TeamSeats.release(invitation: try current.requireID(), at: now, on: tx)
            }
            let token = SecureToken.generate(prefix: "hsi_")
            current.tokenHash = SecureToken.digest(token)
            current.expiresAt = now.addingTimeInterval(lifetime)
            current.lastSentAt = now
            try await current.save(on: tx)
            if wasExpired { try await TeamSeats.reserve(for: try current.requireID(), team: teamID, at: now, on: tx) }
            try await Audit.record("team.invitation_resent", subjectType: Team.auditSubject, subjectID: teamID, by: actor, at: now, on: tx)
            try await context.mail.enqueue(Self.mail(to: email, team: team, inviter: inviter, token: token, expires: current.expiresAt, base: base), on: tx)
            return current
        }
    }

    /// Withdraws an invitation at once: its link stops working and a seat it kept is free again.
    package func revoke(_ teamID: UUID?, invitation invitationID: UUID?, by user: UUID) async throws {
        let access = try await teams.managed(teamID, by: user)
        let invitation = try await invitation(invitationID, of: access.teamID)
        guard invitation.revokedAt == nil, invitation.acceptedAt == nil else { return }
        let teamID = access.teamID, now = self.now, actor = self.actor, id = try invitation.requireID()
        try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx in
            try await TeamInvitation.query(on: tx).filter(\.$id == id).set(\.$revokedAt, to: now).update()
            try await TeamSeats.release(invitation: id, at: now, on: tx)
            try await Audit.record("team.invitation_revoked", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                   detail: invitation.kind.rawValue, at: now, on: tx)
        }
    }

    /// An open link anyone with it can join through, within its domain, cap and expiry. It keeps no
    /// seat: a member who joined through it spends a free seat when they submit.
    package func createLink(_ teamID: UUID?, domain rawDomain: String?, maxUses: Int?, expiresInDays: Int?, by user: UUID) async throws -> CreatedLink {
        let access = try await teams.managed(teamID, by: user)
        var domain = rawDomain?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if domain?.hasPrefix("@") == true { domain?.removeFirst() }
        if domain?.isEmpty == true { domain = nil }
        if let domain, Accounts.emailProblem("a@" + domain) != nil {
            throw Failure(.invalid, "Enter a domain like example.com (the part of your colleagues' addresses after the @).")
        }
        if let maxUses, !(1...SeatPricing.maximumSeats).contains(maxUses) {
            throw Failure(.invalid, "A link can be used by 1 to \(SeatPricing.maximumSeats) people.")
        }
        let days = expiresInDays ?? 7
        guard Self.linkLifetimeDays.contains(days) else {
            throw Failure(.invalid, "A link lasts 1 to \(Self.linkLifetimeDays.upperBound) days.")
        }
        let token = SecureToken.generate(prefix: "hsi_")
        let invitation = TeamInvitation(teamID: access.teamID, kind: .link, email: nil, tokenHash: SecureToken.digest(token), by: user,
                                        at: now, expiresAt: now.addingTimeInterval(TimeInterval(days) * 86_400))
        invitation.allowedDomain = domain
        invitation.maxUses = maxUses
        let actor = self.actor, now = self.now, teamID = access.teamID, allowed = domain
        try await db.transaction { tx in
            try await invitation.create(on: tx)
            try await Audit.record("team.invitation_link_created", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                   detail: "domain \(allowed ?? "any"), cap \(maxUses.map(String.init) ?? "none"), \(days) days", at: now, on: tx)
        }
        return CreatedLink(invitation: invitation, url: SiteURL.join(.value(token)).absolute(on: context.baseURL))
    }

    /// The invitation a token opens, and the team, for the join page (refusals say why it cannot be used).
    package func preview(token: String) async throws -> (TeamInvitation, Team) {
        guard token.hasPrefix("hsi_"), token.count < 100,
              let invitation = try await TeamInvitation.query(on: db).filter(\.$tokenHash == SecureToken.digest(token)).with(\.$team).first()
        else { throw Refusal.unknown }
        try Self.check(invitation, at: now)
        return (invitation, invitation.team)
    }

    /// Joins `user` to the invitation's team (they are already in it: nothing changes).
    package func accept(token: String, user: User) async throws -> Teams.Access {
        let (invitation, team) = try await preview(token: token)
        let userID = try user.requireID(), teamID = try team.requireID(), invitationID = try invitation.requireID()
        try Self.check(invitation, email: user.email)
        let now = self.now, actor = self.actor
        try await RowLock.run(.teams, teamID, on: db, mutex: context.sqliteWriteLock) { tx in
            guard let current = try await TeamInvitation.find(invitationID, on: tx) else { throw Refusal.unknown }
            try Self.check(current, at: now)
            if try await TeamMember.query(on: tx).filter(\.$team.$id == teamID).filter(\.$user.$id == userID).first() != nil { return }
            try await TeamMember(teamID: teamID, userID: userID, role: .member, at: now).create(on: tx)
            switch current.kind {
            case .email:
                current.acceptedAt = now
                current.acceptedByID = userID
                // The seat the invitation kept is now kept for this member.
                try await TeamSeat.query(on: tx).filter(\.$invitationID == invitationID).filter(\.$state == .reserved)
                    .set(\.$userID, to: userID).set(\.$changedAt, to: now).update()
            case .link:
                current.uses += 1
            }
            try await current.save(on: tx)
            try await Audit.record("team.member_joined", subjectType: Team.auditSubject, subjectID: teamID, by: actor,
                                   detail: "\(current.kind.rawValue) invitation", at: now, on: tx)
        }
        return try await teams.access(teamID, user: userID)
    }

    private static func check(_ invitation: TeamInvitation, at now: Date) throws {
        if invitation.revokedAt != nil { throw Refusal.revoked }
        if invitation.kind == .email, invitation.acceptedAt != nil { throw Refusal.used }
        if invitation.expiresAt <= now { throw Refusal.expired }
        if invitation.kind == .link, let cap = invitation.maxUses, invitation.uses >= cap { throw Refusal.full }
    }

    private static func check(_ invitation: TeamInvitation, email: String) throws {
        switch invitation.kind {
        case .email:
            if let invited = invitation.email, invited != email { throw Refusal.wrongEmail(mask(invited)) }
        case .link:
            if let domain = invitation.allowedDomain, !email.hasSuffix("@" + domain) { throw Refusal.wrongDomain(domain) }
        }
    }

    /// "a•••@example.com": enough to recognise one's own address, not enough to learn someone else's.
    package static func mask(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@") else { return "another address" }
        return String(email[..<at].prefix(1)) + "•••" + email[at...]
    }

    private func invitation(_ id: UUID?, of teamID: UUID) async throws -> TeamInvitation {
        guard let id, let invitation = try await TeamInvitation.query(on: db).filter(\.$id == id).filter(\.$team.$id == teamID).first()
        else { throw Failure.notFound("We couldn't find that invitation.") }
        return invitation
    }

    private static func mail(to email: String, team: Team, inviter: User?, token: String, expires: Date, base: URL) -> MailMessage {
        let who = inviter.map { ($0.displayName?.isEmpty == false ? $0.displayName! : $0.email) } ?? "Your team"
        // The subject is ours alone: names people chose (the team's, the inviter's) stay in the body.
        return MailMessage(to: email, subject: "You're invited to make your headshots on Headshot Studio", text: """
            \(who) invited you to join \(team.name) on Headshot Studio. The team pays for your professional headshots: you upload 8–20 selfies, pick a style, and we make them.

            Join the team: \(SiteURL.join(.value(token)).absolute(on: base))

            This link is for you only and works once, until \(DateText.short(expires)). The team's managers will see your name, your email, how far along you are, and the one headshot you choose to share with the team, never your selfies or your other headshots.
            """)
    }
}
