import Vapor

struct UserDTO: Content {
    let id: UUID
    let email: String
    let role: User.Role
    let emailVerified: Bool
    let createdAt: Date?
    let name: String?
    let jobTitle: String?

    init(_ user: User) throws {
        id = try user.requireID()
        email = user.email
        role = user.role
        emailVerified = user.isVerified
        createdAt = user.createdAt
        name = user.displayName
        jobTitle = user.jobTitle
    }

    enum CodingKeys: String, CodingKey {
        case id, email, role, name
        case emailVerified = "email_verified"
        case createdAt = "created_at"
        case jobTitle = "job_title"
    }
}

/// `PATCH /api/v1/me` and the account page's profile form: the name and job title shown on previews.
/// A field left out is unchanged; an empty one is cleared.
struct ProfileRequest: Content {
    let name: String?
    let jobTitle: String?

    enum CodingKeys: String, CodingKey {
        case name
        case jobTitle = "job_title"
    }
}

/// The profile's rules: at most 80 characters, no control characters, trimmed; empty means none.
enum Profile {
    static let maxLength = 80

    /// What is wrong with a value as sent, if anything (`InputRules.lineSchema` in the API document).
    static func problem(with value: String) -> String? {
        if InputRules.length(value) > maxLength { return "Keep it to \(maxLength) characters or fewer." }
        if InputRules.hasControls(value) { return "Use letters, numbers and punctuation only." }
        return nil
    }

    /// Applies a request to the user (not saved); throws `.invalidInput` with each field's problem.
    static func apply(_ request: ProfileRequest, to user: User) throws {
        var problems: [String: String] = [:]
        for (field, raw, keyPath) in [("name", request.name, \User.displayName), ("job_title", request.jobTitle, \User.jobTitle)] {
            guard let raw else { continue }
            let value = InputRules.trimmed(raw)
            if let problem = problem(with: raw) { problems[field] = problem } else { user[keyPath: keyPath] = value.isEmpty ? nil : value }
        }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
    }
}
