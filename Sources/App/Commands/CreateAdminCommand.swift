import Fluent
import HeadshotCore
import Vapor

/// `headshot create-admin --email ADDRESS [--password-stdin]`: makes an administrator, or promotes
/// an existing account. Without --password-stdin a random password is generated and printed once.
struct CreateAdminCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's email address")
        var email: String?

        @Flag(name: "password-stdin", help: "Read the password from standard input instead of generating one")
        var passwordStdin: Bool
    }

    var help: String { "Creates an administrator account, or promotes an existing one." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.email else {
            throw CommandError.message("--email is required, e.g. headshot create-admin --email you@example.com")
        }
        let email = Accounts.normalise(email: raw)
        if let problem = Accounts.emailProblem(email) { throw CommandError.message(problem) }
        let now = services.clock.now()

        if let existing = try await User.withEmail(email, on: app.db) {
            existing.role = .admin
            if existing.emailVerifiedAt == nil { existing.emailVerifiedAt = now }
            try await existing.save(on: app.db)
            try await Audit.record("user.promoted_admin", subjectType: "user", subjectID: existing.id, by: .system(), at: now, on: app.db)
            context.console.print("\(email) is now an administrator.")
            return
        }

        let password: String
        if signature.passwordStdin {
            password = (readLine(strippingNewline: true) ?? "")
        } else {
            password = SecureToken.generate(prefix: "").prefix(24).description
        }
        if let problem = PasswordRules.problem(with: password, email: email) { throw CommandError.message(problem) }
        let user = User(email: email, passwordHash: try await services.passwordHashing.hash(password), role: .admin, passwordChangedAt: now)
        user.emailVerifiedAt = now
        try await user.create(on: app.db)
        try await Audit.record("user.created_admin", subjectType: "user", subjectID: user.id, by: .system(), at: now, on: app.db)
        context.console.print("Created administrator \(email).")
        if !signature.passwordStdin {
            context.console.print("Password (shown once; change it after logging in): \(password)")
        }
    }
}

enum CommandError: Error, CustomStringConvertible {
    case message(String)
    var description: String { if case .message(let text) = self { return text }; return "" }
}
