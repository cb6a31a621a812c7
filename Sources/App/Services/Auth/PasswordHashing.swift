import Crypto
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Password rules and hashing. bcrypt at cost 12 on the thread pool, never on an event loop.
public struct PasswordHashing: Sendable {
    public static let minimumLength = 12
    public static let maximumLength = 128
    /// The cost every deployment hashes at; only a test replaces it (`AppServices.Overrides.bcryptCost`).
    public static let bcryptCost = 12

    let threadPool: NIOThreadPool
    let cost: Int

    init(threadPool: NIOThreadPool, cost: Int = bcryptCost) {
        self.threadPool = threadPool
        self.cost = cost
    }

    /// What is wrong with a proposed password, in words for the person choosing it, or nil.
    public static func problem(with password: String, email: String? = nil) -> String? {
        if password.count < minimumLength {
            return "Use at least \(minimumLength) characters. A short phrase of unrelated words is easy to remember and hard to guess."
        }
        if password.count > maximumLength {
            return "Use at most \(maximumLength) characters."
        }
        if let email, password.lowercased() == email.lowercased() {
            return "Choose a password that is different from your email address."
        }
        if Set(password).count < 4 {
            return "That password repeats too few characters; choose something harder to guess."
        }
        return nil
    }

    public func hash(_ password: String) async throws -> String {
        let input = Self.prepare(password)
        let cost = self.cost
        return try await threadPool.runIfActive { try Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prepare(password)
        return try await threadPool.runIfActive { (try? Bcrypt.verify(input, created: hash)) ?? false }
    }

    /// Spends the same time as a real check, so an unknown email cannot be told apart by timing.
    public func burnVerification() async {
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
    static func prepare(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// bcrypt's own threads (one per core, for the whole process): hashing is a quarter of a second of
    /// CPU each time, and on the application's blocking pool it would queue in front of every SQLite
    /// query and file write, so a burst of log-ins would stall the database.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()
}
