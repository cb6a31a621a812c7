import Foundation
import FluentKit

/// The two packages we sell at launch. Admins edit them later; this only seeds.
package struct SeedPackages: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let packages = [
            Package(code: "basic", name: "Basic", headshotCount: 40, maxPresets: 3, queuePriority: 0,
                    rerunCredits: 1, priceMinor: 2900, currency: "USD", sortOrder: 1),
            Package(code: "professional", name: "Professional", headshotCount: 100, maxPresets: 5, queuePriority: 10,
                    rerunCredits: 3, priceMinor: 5900, currency: "USD", sortOrder: 2),
        ]
        for package in packages { try await package.create(on: database) }
    }

    package func revert(on database: any Database) async throws {
        try await Package.query(on: database).filter(\.$code ~~ ["basic", "professional"]).delete()
    }
}
