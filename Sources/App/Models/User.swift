import Fluent
import Foundation
import Vapor

public final class User: Model, Authenticatable, @unchecked Sendable {
    public static let schema = "users"

    public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
        case user, support, admin

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }

    @ID public var id: UUID?
    /// Lower-cased and trimmed, so one address is one account.
    @Field(key: "email") public var email: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: Role
    @OptionalField(key: "email_verified_at") public var emailVerifiedAt: Date?
    @Field(key: "password_changed_at") public var passwordChangedAt: Date
    /// A legal hold: while set, retention keeps this data. Staff-only; the customer is told a hold exists, never why.
    @OptionalField(key: "legal_hold_reason") public var legalHoldReason: String?
    @OptionalField(key: "legal_hold_at") public var legalHoldAt: Date?
    /// How the customer wants to be named on previews (optional).
    @OptionalField(key: "display_name") public var displayName: String?
    @OptionalField(key: "job_title") public var jobTitle: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$user) public var orders: [Order]

    public init() {}

    public init(id: UUID? = nil, email: String, passwordHash: String, role: Role = .user, passwordChangedAt: Date) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.passwordChangedAt = passwordChangedAt
    }

    public var isVerified: Bool { emailVerifiedAt != nil }
}
