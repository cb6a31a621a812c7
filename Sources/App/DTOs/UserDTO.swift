import Vapor

struct UserDTO: Content {
    let id: UUID
    let email: String
    let role: User.Role
    let emailVerified: Bool
    let createdAt: Date?

    init(_ user: User) throws {
        id = try user.requireID()
        email = user.email
        role = user.role
        emailVerified = user.isVerified
        createdAt = user.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, role
        case emailVerified = "email_verified"
        case createdAt = "created_at"
    }
}
