import Fluent
import HeadshotCore
import Vapor

/// `headshot hold (--email ADDRESS | --order ID) (--reason TEXT | --release)`: places or releases a
/// legal hold. Held data is kept by retention until the hold is released.
struct HoldCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Option(name: "email", help: "The account to hold (all its orders)")
        var email: String?
        @Option(name: "order", help: "The order to hold")
        var order: String?
        @Option(name: "reason", help: "Why (kept for staff, never shown to the customer)")
        var reason: String?
        @Flag(name: "release", help: "Release the hold instead")
        var release: Bool
    }

    var help: String { "Places (--reason) or releases (--release) a legal hold on an account (--email) or an order (--order)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let target: LegalHolds.Target
        switch (signature.email, signature.order) {
        case (let email?, nil):
            guard let user = try await User.withEmail(email, on: db) else {
                throw CommandError.message("no account has the address \(email)")
            }
            target = .user(user)
        case (nil, let raw?):
            guard let id = UUID(uuidString: raw), let order = try await Order.find(id, on: db) else { throw CommandError.message("no order has the id \(raw)") }
            target = .order(order)
        default:
            throw CommandError.message("name exactly one of --email ADDRESS or --order ID")
        }
        let holds = LegalHolds(db: db, actor: .system(), now: services.clock.now())
        if signature.release {
            try await holds.release(target)
            context.console.print("Hold released; retention deletes what is overdue on its next run.")
        } else {
            guard let reason = signature.reason else { throw CommandError.message("--reason is required to place a hold (or --release to lift one)") }
            try await holds.place(on: target, reason: reason)
            context.console.print("Hold placed: retention keeps this data until the hold is released.")
        }
    }
}
