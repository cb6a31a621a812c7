import FluentKit
import Foundation
import HeadshotCore
import Testing

/// What the shared fixtures need of a test's world: a whole test app (`AppTests`) or the core's
/// database-only world (`CoreTestApp`).
package protocol TestWorld: Sendable {
    var db: any Database { get }
    var clock: any WallClock { get }
    var passwords: any PasswordHashingPort { get }
    var mailQueue: MailQueue { get }
}

/// Shortcuts for tests that need accounts and mail.
package enum Fixtures {
    package static let password = "correct horse battery staple"

    /// A confirmed account created directly in the database (one password hash, no mail).
    @discardableResult
    package static func user(_ app: some TestWorld, email: String = "ada-\(UUID().uuidString.prefix(6))@example.com",
                             password: String = password, role: User.Role = .user, verified: Bool = true) async throws -> User {
        let user = User(email: email.lowercased(), passwordHash: try await app.passwords.hash(password), role: role,
                        passwordChangedAt: app.clock.now())
        if verified { user.emailVerifiedAt = app.clock.now() }
        try await user.create(on: app.db)
        return user
    }

    /// The mail delivered to an address, oldest first (after in-flight mail is delivered).
    package static func mail(_ app: some TestWorld, to address: String) async throws -> [OutgoingMail] {
        await app.mailQueue.drain()
        return try await OutgoingMail.query(on: app.db).filter(\.$recipient == address).filter(\.$sentAt != nil).sort(\.$createdAt).all()
    }

    /// A paid order in the queue with its job (as fulfilment leaves it).
    @discardableResult
    package static func queuedJob(_ app: some TestWorld, user: User, priority: Int = 0, runAt: Date, maxAttempts: Int = 3) async throws -> GenerationJob {
        let order = Order(userID: try user.requireID(), status: .queued)
        try await order.create(on: app.db)
        // Paid, as every queued order is: its entitlement is what lets its headshots be served.
        let package = try #require(try await Package.query(on: app.db).filter(\.$code == "basic").first())
        try await Entitlement(orderID: try order.requireID(), userID: try user.requireID(), packageID: try package.requireID(),
                              headshotCount: 40, rerunCredits: 1, paymentReference: "pi_test").create(on: app.db)
        let job = GenerationJob(orderID: try order.requireID(), kind: "generate", priority: priority, runAt: runAt, maxAttempts: maxAttempts, total: 40)
        try await job.create(on: app.db)
        return job
    }

    package static func order(of job: GenerationJob, _ app: some TestWorld) async throws -> Order? {
        try await Order.find(job.$order.id, on: app.db)
    }

    /// An order that went through checkout: package priced on the server, awaiting its webhook.
    package static func awaitingOrder(_ app: some TestWorld, user: User, package code: String = "professional") async throws -> Order {
        try await checkedOut(app, Order(userID: try user.requireID(), status: .draft), package: code)
    }

    /// `order` (new, or a draft with its photos) as checkout leaves it: `package` priced on the server,
    /// `presets` and `count` headshots (the package's by default) sold, awaiting its webhook.
    package static func checkedOut(_ app: some TestWorld, _ order: Order, package code: String, presets: String = "corporate-grey,bright-white",
                           count: Int? = nil) async throws -> Order {
        let package = try #require(try await Package.query(on: app.db).filter(\.$code == code).first())
        order.status = .awaitingPayment
        order.$package.id = try package.requireID()
        order.amountMinor = package.priceMinor
        order.currency = package.currency
        order.headshotCount = count ?? package.headshotCount
        order.presets = presets
        order.consentVersion = ConsentPolicy.version
        order.consentedAt = app.clock.now()
        order.paymentGateway = "sandbox"
        order.checkoutReference = "cs_test_" + UUID().uuidString.lowercased()
        try await order.save(on: app.db)
        // What checkout records for the session it opened: what it sells.
        try await CheckoutSessionRecord(order: order, gateway: "sandbox", reference: order.checkoutReference!, at: app.clock.now()).create(on: app.db)
        return order
    }
}
