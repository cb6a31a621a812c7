import Fluent
import Foundation

/// Personal tokens created when they could be open-ended get the longest lifetime allowed now (a
/// year from their creation), so no token lives for ever.
struct ExpireOpenEndedTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for token in try await APIToken.query(on: database).filter(\.$expiresAt == nil).all() {
            token.expiresAt = token.createdAt.addingTimeInterval(TimeInterval(CreateTokenRequest.maximumDays) * 86_400)
            try await token.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {}
}
