import HeadshotCore
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
}

/// `PATCH /api/v1/me` and the account page's profile form: the name and job title shown on previews.
/// A field left out is unchanged; an empty one is cleared.
