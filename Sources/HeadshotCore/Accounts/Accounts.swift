import FluentKit
import FluentSQL
import Foundation
import Mail
import SiteRoutes

/// Account rules shared by the pages and the JSON API, so both behave the same way.
package struct Accounts: Sendable {
    package static let resetLifetime: TimeInterval = 30 * 60
    package static let verificationLifetime: TimeInterval = 48 * 3600

    package let db: any Database
    package let context: DomainContext
    package let passwords: any PasswordHashingPort
    /// Who asks (the signed-in user, or anonymous), for the audit trail.
    package let actor: AuditActor
    /// The request's id, for audit events written on behalf of the account being acted on.
    package let requestID: String
    /// The client's address, for the login throttle.
    package let clientIP: String

    package init(db: any Database, context: DomainContext, passwords: any PasswordHashingPort, actor: AuditActor, requestID: String, clientIP: String) {
        self.db = db
        self.context = context
        self.passwords = passwords
        self.actor = actor
        self.requestID = requestID
        self.clientIP = clientIP
    }

    package static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// What is wrong with an address as sent (its length counts any white space around it, as the API
    /// document's `maxLength` does), if anything.
    package static func emailProblem(_ email: String) -> String? {
        InputRules.isEmail(email) ? nil : "Enter an email address like name@example.com."
    }

    /// Creates an unverified account and mails a confirmation link. For an address that already has an
    /// account nothing is created and its owner is told instead; the caller answers the same either way,
    /// and both paths spend a bcrypt hash so timing does not tell them apart.
    package func signUp(email rawEmail: String, password: String, name rawName: String? = nil) async throws {
        let email = Self.normalise(email: rawEmail)
        let name = rawName.map(InputRules.trimmed)
        var problems: [String: String] = [:]
        if let problem = Self.emailProblem(rawEmail) { problems["email"] = problem }
        if let problem = PasswordRules.problem(with: password, email: email) { problems["password"] = problem }
        if let rawName, let problem = Profile.problem(with: rawName) { problems["name"] = problem }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
        // Each sign-up costs a bcrypt hash and sends a mail: bounded per client and per mailbox.
        try await limit(RateLimiter.signUpsPerAddress, recipient: email)

        let hash = try await passwords.hash(password)
        let now = context.clock.now()
        if let existing = try await User.query(on: db).filter(\.$email == email).first() {
            if existing.isVerified {
                try await mail(to: email, subject: "Someone tried to sign up with your email", text: """
                Someone (hopefully you) tried to create a Headshot Studio account with this email address, but you already have one.

                Log in: \(SiteURL.logIn.absolute(on: context.baseURL))
                Forgot your password? Reset it: \(SiteURL.forgotPassword.absolute(on: context.baseURL))

                If this wasn't you, you can ignore this message; your account is unchanged.
                """)
            } else {
                try await sendVerification(to: existing)
            }
            return
        }
        let user = User(email: email, passwordHash: hash, passwordChangedAt: now)
        user.displayName = name?.isEmpty == false ? name : nil
        do {
            try await user.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return // Two sign-ups raced for one address; the first one's owner gets the mail.
        }
        try await Audit.record("user.signed_up", subjectType: "user", subjectID: user.id, by: .user(user.id, requestID: requestID), at: now, on: db)
        try await sendVerification(to: user)
    }

    /// Checks credentials under the login throttle. Throws `AccountError`; never says whether the email exists.
    package func logIn(email rawEmail: String, password: String) async throws -> User {
        let email = Self.normalise(email: rawEmail)
        let now = context.clock.now()
        let throttle = LoginThrottle(db: db)
        let attempt = try await throttle.reserve(email: email, ip: clientIP, at: now)
        let user = try await User.query(on: db).filter(\.$email == email).first()
        let matches: Bool
        if let user { matches = try await passwords.verify(password, against: user.passwordHash) }
        else { await passwords.burnVerification(); matches = false }

        try await throttle.settle(attempt, succeeded: matches)
        guard let user, matches else {
            try await Audit.record("user.login_failed", subjectType: "user", subjectID: user?.id, by: actor, at: now, on: db)
            throw AccountError.invalidCredentials
        }
        // Only someone who knows the password learns that the address is unconfirmed.
        guard user.isVerified else {
            try await sendVerification(to: user)
            throw AccountError.emailNotVerified
        }
        try await Audit.record("user.logged_in", subjectType: "user", subjectID: user.id, by: .user(user.id, requestID: requestID), at: now, on: db)
        return user
    }

    /// Sets a new password and revokes every other session and every token of the user (API log-ins,
    /// team tokens), and their personal tokens unless they chose to keep them.
    package func changePassword(of user: User, current: String, new: String, keepPersonalTokens: Bool = false) async throws {
        guard try await passwords.verify(current, against: user.passwordHash) else { throw AccountError.wrongCurrentPassword }
        if let problem = PasswordRules.problem(with: new, email: user.email) { throw AccountError.invalidInput(["new_password": problem]) }
        try await setPassword(of: user, to: new, action: "user.password_changed", revokePersonalTokens: !keepPersonalTokens)
    }

    /// Mails a reset link if the address has an account. Answers the same for unknown addresses.
    package func requestReset(email rawEmail: String) async throws {
        let email = Self.normalise(email: rawEmail)
        if let problem = Self.emailProblem(rawEmail) { throw AccountError.invalidInput(["email": problem]) }
        // Counted for unknown addresses too, so the limit tells nothing about who has an account.
        try await limit(RateLimiter.accountMailPerAddress, recipient: email)
        guard let user = try await User.query(on: db).filter(\.$email == email).first() else { return }
        let token = try await issueToken(for: user, purpose: .passwordReset, lifetime: Self.resetLifetime)
        try await mail(to: user.email, subject: "Reset your Headshot Studio password", text: """
        Someone asked to reset the password of your Headshot Studio account.

        Choose a new password here (the link works once, for 30 minutes):
        \(SiteURL.resetPassword.absolute(on: context.baseURL, ["token": token]))

        If this wasn't you, ignore this message: your password stays as it is.
        """)
        try await Audit.record("user.password_reset_requested", subjectType: "user", subjectID: user.id, by: actor, at: context.clock.now(), on: db)
    }

    /// Uses a reset link once: sets the password, confirms the email (the link proved the mailbox) and signs out everywhere.
    package func resetPassword(token: String, to password: String) async throws -> User {
        let record = try await find(token: token, purpose: .passwordReset)
        let user = try await record.$user.get(on: db)
        if let problem = PasswordRules.problem(with: password, email: user.email) { throw AccountError.invalidInput(["password": problem]) }
        try await markUsed(record)
        if user.emailVerifiedAt == nil { user.emailVerifiedAt = context.clock.now() }
        // Whoever needed a reset may have lost control of the account: its personal tokens go too.
        try await setPassword(of: user, to: password, action: "user.password_reset", revokePersonalTokens: true)
        return user
    }

    /// Confirms the address behind a verification link (once).
    package func verifyEmail(token: String) async throws -> User {
        let record = try await find(token: token, purpose: .emailVerification)
        let user = try await record.$user.get(on: db)
        let now = context.clock.now()
        try await db.transaction { tx in
            try await markUsed(record, on: tx)
            if user.emailVerifiedAt == nil { user.emailVerifiedAt = now }
            try await user.save(on: tx)
            try await Audit.record("user.email_verified", subjectType: "user", subjectID: user.id, by: .user(user.id, requestID: requestID), at: now, on: tx)
        }
        return user
    }

    /// "Send the link again", asked for by the signed-in (unconfirmed) user: within the mail limits.
    package func resendVerification(to user: User) async throws {
        guard !user.isVerified else { return }
        try await limit(RateLimiter.accountMailPerAddress, recipient: user.email)
        try await sendVerification(to: user)
    }

    package func sendVerification(to user: User) async throws {
        let token = try await issueToken(for: user, purpose: .emailVerification, lifetime: Self.verificationLifetime)
        try await mail(to: user.email, subject: "Confirm your email for Headshot Studio", text: """
        Welcome to Headshot Studio.

        Confirm your email address to finish creating your account (the link works for 48 hours):
        \(SiteURL.verifyEmail.absolute(on: context.baseURL, ["token": token]))

        If you didn't sign up, ignore this message and no account will be activated.
        """)
    }

    // MARK: - Internals

    private func setPassword(of user: User, to password: String, action: String, revokePersonalTokens: Bool) async throws {
        let hash = try await passwords.hash(password)
        let now = context.clock.now()
        let userID = try user.requireID()
        try await db.transaction { tx in
            user.passwordHash = hash
            user.passwordChangedAt = now
            try await user.save(on: tx)
            try await Sessions.revokeAll(userID: userID, at: now, on: tx)
            try await APITokens.revokeAll(of: userID, keeping: revokePersonalTokens ? [] : [.personal], at: now, on: tx)
            try await Audit.record(action, subjectType: "user", subjectID: userID, by: .user(userID, requestID: requestID), at: now, on: tx)
        }
    }

    private func issueToken(for user: User, purpose: OneTimeToken.Purpose, lifetime: TimeInterval) async throws -> String {
        let plaintext = SecureToken.generate(prefix: "")
        try await OneTimeToken(userID: try user.requireID(), purpose: purpose, tokenHash: SecureToken.digest(plaintext),
                               at: context.clock.now(), lifetime: lifetime).create(on: db)
        return plaintext
    }

    private func find(token: String, purpose: OneTimeToken.Purpose) async throws -> OneTimeToken {
        guard !token.isEmpty, token.count <= 128,
              let record = try await OneTimeToken.query(on: db).filter(\.$tokenHash == SecureToken.digest(token))
                  .filter(\.$purpose == purpose).first(),
              record.usedAt == nil, context.clock.now() < record.expiresAt
        else { throw AccountError.invalidLink }
        return record
    }

    /// Spends a link; of two requests racing with the same link only one succeeds.
    private func markUsed(_ record: OneTimeToken, on database: (any Database)? = nil) async throws {
        let sql = try (database ?? db).sql()
        let spent = try await sql.update(OneTimeToken.schema)
            .set("used_at", to: context.clock.now())
            .where("id", .equal, try record.requireID())
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        guard spent.count == 1 else { throw AccountError.invalidLink }
        record.usedAt = context.clock.now()
    }

    private func mail(to: String, subject: String, text: String) async throws {
        try await context.mail.enqueue(MailMessage(to: to, subject: subject, text: text), on: db)
    }

    /// Counts one request against `perClient` for the client's address and against the mailbox's own
    /// limit (whoever asks), throwing `RateLimited` when either is used up.
    private func limit(_ perClient: RateLimiter.Rule, recipient email: String) async throws {
        let limiter = RateLimiter(db: db), now = context.clock.now()
        try await limiter.hit(perClient, subject: clientIP, at: now)
        try await limiter.hit(RateLimiter.accountMailPerRecipient, subject: RateLimiter.subject(email: email), at: now)
    }
}
