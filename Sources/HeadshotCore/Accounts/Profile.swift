import Foundation

/// A change of the name and job title shown on previews.
package struct ProfileRequest: Codable, Sendable {
    package let name: String?
    package let jobTitle: String?

    package init(name: String?, jobTitle: String?) {
        self.name = name
        self.jobTitle = jobTitle
    }
}

/// The profile's rules: at most 80 characters, no control characters, trimmed; empty means none.
package enum Profile {
    package static let maxLength = 80

    /// What is wrong with a value as sent, if anything (`InputRules.lineSchema` in the API document).
    package static func problem(with value: String) -> String? {
        if InputRules.length(value) > maxLength { return "Keep it to \(maxLength) characters or fewer." }
        if InputRules.hasControls(value) { return "Use letters, numbers and punctuation only." }
        return nil
    }

    /// Applies a request to the user (not saved); throws `.invalidInput` with each field's problem.
    package static func apply(_ request: ProfileRequest, to user: User) throws {
        var problems: [String: String] = [:]
        for (field, raw, keyPath) in [("name", request.name, \User.displayName), ("job_title", request.jobTitle, \User.jobTitle)] {
            guard let raw else { continue }
            let value = InputRules.trimmed(raw)
            if let problem = problem(with: raw) { problems[field] = problem } else { user[keyPath: keyPath] = value.isEmpty ? nil : value }
        }
        guard problems.isEmpty else { throw AccountError.invalidInput(problems) }
    }
}
