import FluentKit
import Foundation

package final class User: Model, @unchecked Sendable {
    package static let schema = "users"

    package enum Role: String, Codable, Sendable, CaseIterable, Comparable {
        case user, support, admin

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        package static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }

    @ID package var id: UUID?
    /// Lower-cased and trimmed, so one address is one account.
    @Field(key: "email") package var email: String
    @Field(key: "password_hash") package var passwordHash: String
    @Field(key: "role") package var role: Role
    @OptionalField(key: "email_verified_at") package var emailVerifiedAt: Date?
    @Field(key: "password_changed_at") package var passwordChangedAt: Date
    /// A legal hold: while set, retention keeps this data. Staff-only; the customer is told a hold exists, never why.
    @OptionalField(key: "legal_hold_reason") package var legalHoldReason: String?
    @OptionalField(key: "legal_hold_at") package var legalHoldAt: Date?
    /// How the customer wants to be named on previews (optional).
    @OptionalField(key: "display_name") package var displayName: String?
    @OptionalField(key: "job_title") package var jobTitle: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    @Children(for: \.$user) package var orders: [Order]

    package init() {}

    package init(id: UUID? = nil, email: String, passwordHash: String, role: Role = .user, passwordChangedAt: Date) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.passwordChangedAt = passwordChangedAt
    }

    package var isVerified: Bool { emailVerifiedAt != nil }
}

extension User {
    /// The account with this email address, as typed (normalised first), if there is one.
    package static func withEmail(_ email: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$email == Accounts.normalise(email: email)).first()
    }
}
