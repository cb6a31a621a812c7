import HeadshotCore
import Vapor

struct APITokenDTO: Content {
    let id: UUID
    /// `personal` (made on the account page), `login` (the API's log-in) or `team` (a team's token).
    let kind: String
    /// The team a team token acts for.
    let teamID: UUID?
    let name: String
    let prefix: String
    let createdAt: Date
    let lastUsedAt: Date?
    let expiresAt: Date?

    init(_ token: APIToken) throws {
        id = try token.requireID()
        kind = token.kind.rawValue
        teamID = token.teamID
        name = token.name
        prefix = token.tokenPrefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        expiresAt = token.expiresAt
    }

    /// The kind as the account page names it.
    static func kindLabel(_ kind: String) -> String {
        switch APIToken.Kind(rawValue: kind) {
        case .personal: "Personal"
        case .login: "API log-in"
        case .team: "Team"
        case nil: kind
        }
    }
}

/// A newly created token with its plaintext, which is never retrievable again.
struct CreatedTokenDTO: Content {
    let token: String
    let details: APITokenDTO
}

struct SessionDTO: Content {
    let id: UUID
    let createdAt: Date
    let lastSeenAt: Date
    let ip: String?
    let userAgent: String?
    /// The browser and system in words ("Chrome on Linux"), from the user agent.
    let device: String
    let current: Bool

    init(_ session: UserSession, current: Bool) throws {
        id = try session.requireID()
        createdAt = session.createdAt
        lastSeenAt = session.lastSeenAt
        ip = session.ip
        userAgent = session.userAgent
        device = DeviceName.describe(session.userAgent)
        self.current = current
    }
}

/// One entry of the activity log.
struct ActivityEntryDTO: Content {
    let at: Date
    let action: String
    let description: String
    let actor: String

    init(_ entry: ActivityLog.Entry) {
        at = entry.at
        action = entry.action
        description = entry.description
        actor = entry.actor
    }
}

struct ActivityPageDTO: Content {
    let entries: [ActivityEntryDTO]
    let page: Int
    /// The next page's number, while there is one.
    let nextPage: Int?

    init(_ page: ActivityLog.Page) {
        entries = page.entries.map(ActivityEntryDTO.init)
        self.page = page.page
        nextPage = page.hasMore ? page.page + 1 : nil
    }
}

extension AccountSettings {
    /// Every token that acts as the user and still works, as the account page and the API list them.
    func tokens(of user: User) async throws -> [APITokenDTO] {
        try await liveTokens(of: user).map(APITokenDTO.init)
    }

    /// The user's live sessions; `current` marks the one asking.
    func sessions(of user: User, current: UUID?) async throws -> [SessionDTO] {
        try await liveSessions(of: user).map { try SessionDTO($0, current: $0.id == current) }
    }

    /// A new personal token, shown once.
    func createToken(for user: User, _ request: CreateTokenRequest, authenticatedBy authentication: Authentication) async throws -> CreatedTokenDTO {
        let (token, plaintext) = try await issueToken(for: user, request, authenticatedBy: authentication)
        return CreatedTokenDTO(token: plaintext, details: try APITokenDTO(token))
    }
}
