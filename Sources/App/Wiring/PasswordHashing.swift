import Crypto
import HeadshotCore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Password hashing (the rules are `PasswordRules`). bcrypt at cost 12 on the thread pool, never on an event loop.
package struct PasswordHashing: PasswordHashingPort {
    /// The cost every deployment hashes at; only a test replaces it (`AppServices.Overrides.bcryptCost`).
    package static let bcryptCost = 12

    package let threadPool: NIOThreadPool
    package let cost: Int

    package init(threadPool: NIOThreadPool, cost: Int = bcryptCost) {
        self.threadPool = threadPool
        self.cost = cost
    }

    package func hash(_ password: String) async throws -> String {
        let input = Self.prepare(password)
        let cost = self.cost
        return try await threadPool.runIfActive { try Bcrypt.hash(input, cost: cost) }
    }

    package func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prepare(password)
        return try await threadPool.runIfActive { (try? Bcrypt.verify(input, created: hash)) ?? false }
    }

    /// Spends the same time as a real check, so an unknown email cannot be told apart by timing.
    package func burnVerification() async {
        let cost = self.cost
        guard let dummy = try? await threadPool.runIfActive({ try Self.dummyHash(cost: cost) }) else { return }
        _ = try? await verify("timing-equaliser", against: dummy)
    }

    /// A hash at `cost` (made the first time it is needed), verified against when the email is unknown
    /// so that answer takes as long as a real check.
    private static let dummies = NIOLockedValueBox<[Int: String]>([:])
    private static func dummyHash(cost: Int) throws -> String {
        try dummies.withLockedValue { known in
            if let hash = known[cost] { return hash }
            let hash = try Bcrypt.hash("timing-equaliser-reference", cost: cost)
            known[cost] = hash
            return hash
        }
    }

    /// bcrypt reads only the first 72 bytes; a 128-character passphrase is first reduced with SHA-256
    /// so every character counts.
    package static func prepare(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// bcrypt's own threads (one per core, for the whole process): hashing is a quarter of a second of
    /// CPU each time, and on the application's blocking pool it would queue in front of every SQLite
    /// query and file write, so a burst of log-ins would stall the database.
    package static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()
}
